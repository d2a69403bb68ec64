"""One QAPI method call, and the seller authorization key it needs.

A call is a form POST to `<service>/<Class.Method>` with the key in the
GiosisCertificationKey header. HTTP says nothing (Qoo10 answers 200 even to a refusal):
`ResultCode` 0 is success, anything else is an error whose `ResultMsg` is shown. A refused
key sometimes comes as `{"ErrorCode", "ErrorMsg"}` instead, and is read the same way.

The key is made from the API key and the seller's QSM login
(CertificationAPI.CreateCertificationKey) and lasts a year. When Qoo10 refuses it, a new one
is made if the seller saved the login; otherwise the seller is told how to make one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fulfill.channels.http import ChannelHttp, Reply
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.translation import _

QAPI_VERSION = "1.0"
CREATE_KEY = "CertificationAPI.CreateCertificationKey"
# The key is wrong (-10000), unknown (Qoo10 answers a wrong key with -90001 "the API does
# not exist"), not allowed (-90002, -90003) or expired (-90004, -90005).
KEY_REFUSED = frozenset({-10000, -90001, -90002, -90003, -90004, -90005})



def new_key_advice() -> str:
    return _("Make a new seller authorization key (it lasts a year, and changing the QSM "
             "password ends it): ask Qoo10 for the API key in QSM if you have none "
             "(Qoo10へのお問い合わせ → システム → API・FTP・QSM権限), then open Channels, edit the "
             "Qoo10 account and paste the new key, or save your QSM login ID and password "
             "there so fulfill makes new keys itself.")


def _try_later() -> str:
    return _("Try again later; if it keeps happening, report it to support with the log.")


class KeyRefused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class QapiRefused(ChannelRejected):
    """Qoo10 understood the call and said no: its code and words are kept."""

    def __init__(self, message: str, advice: str, code: int, answer: str) -> None:
        super().__init__(message, advice)
        self.code, self.answer = code, answer


def decode(reply: Reply, label: str) -> dict[str, Any]:
    """The answer as a dict; amounts as Decimal, never float."""
    try:
        data = json.loads(reply.body.decode("utf-8-sig"), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise PayloadError(
            _("{platform} sent data that is not valid JSON ({error}) from {url}.").format(
                platform=label, error=error, url=reply.url), _try_later()) from None
    if not isinstance(data, dict):
        raise PayloadError(_("{platform} sent an unexpected answer from {url}.").format(
            platform=label, url=reply.url), _try_later())
    return data


def result_of(data: dict[str, Any]) -> tuple[int, str]:
    """(code, message) of an answer: ResultCode/ResultMsg, else ErrorCode/ErrorMsg."""
    for code_name, message_names in (("ResultCode", ("ResultMsg", "ResultMessage")),
                                     ("ErrorCode", ("ErrorMsg", "ErrorMessage"))):
        if data.get(code_name) is not None:
            try:
                code = int(str(data[code_name]).strip())
            except ValueError:
                break
            message = next((str(data[n]) for n in message_names if data.get(n)), "")
            return code, message
    raise PayloadError(_("Qoo10 answered without a result code."), _try_later())


def rows_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """ResultObject as a list of rows: Qoo10 sends null (or []) for none, one row bare."""
    found = data.get("ResultObject")
    if found is None or found == "":
        return []
    if isinstance(found, dict):
        return [found]
    if isinstance(found, list) and all(isinstance(row, dict) for row in found):
        return found
    raise PayloadError(_("Qoo10 sent rows in an unexpected form."), _try_later())


class QApi:
    """QAPI calls for one account; `secrets` is read at each call, so a renewed key is used
    at once, and `on_new_key` hands a renewed key back to be saved."""

    def __init__(self, http: ChannelHttp, label: str, secrets: Callable[[], dict[str, str]],
                 on_new_key: Callable[[str], None]) -> None:
        self.http, self.label = http, label
        self._secrets, self._on_new_key = secrets, on_new_key

    def _send(self, method: str, key: str, params: dict[str, Any]) -> dict[str, Any]:
        form = {"returnType": "application/json",
                **{name: str(value) for name, value in params.items()}}
        reply = self.http.request("POST", method, data=form, headers={
            "GiosisCertificationKey": key, "QAPIVersion": QAPI_VERSION})
        data = decode(reply, self.label)
        code, message = result_of(data)
        if code == 0:
            return data
        if code in KEY_REFUSED:
            raise KeyRefused(code, message)
        raise QapiRefused(_("{platform} refused {method} ({code}: {message}).").format(
            platform=self.label, method=method, code=code, message=message),
            _("Nothing was changed in fulfill. Check the order in QSM; if Qoo10's words do not "
              "explain it, send the sync log to support."), code, message)

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call a method with the seller authorization key, making a new key once when Qoo10
        refuses it and the seller saved the QSM login."""
        key = self._secrets().get("certification_key") or self.renew_key()
        try:
            return self._send(method, key, params)
        except KeyRefused as refused:
            if not self.can_renew():
                raise self._refused(refused) from None
        try:
            return self._send(method, self.renew_key(), params)
        except KeyRefused as refused:
            raise self._refused(refused) from None

    def can_renew(self) -> bool:
        s = self._secrets()
        return bool(s.get("api_key") and s.get("seller_id") and s.get("password"))

    def renew_key(self) -> str:
        """A new seller authorization key from the API key and the QSM login."""
        s = self._secrets()
        if not self.can_renew():
            raise ChannelAuthError(_("{platform} needs a seller authorization key.").format(
                platform=self.label), new_key_advice())
        try:
            data = self._send(CREATE_KEY, s["api_key"],
                              {"user_id": s["seller_id"], "pwd": s["password"]})
        except (KeyRefused, QapiRefused) as refused:
            answer = refused.message if isinstance(refused, KeyRefused) else refused.answer
            raise ChannelAuthError(
                _("{platform} would not make a seller authorization key ({code}: "
                  "{answer}).").format(platform=self.label, code=refused.code, answer=answer),
                _("Check the API key and the QSM login ID and password in Channels; Qoo10 "
                  "renews the API key every year.")) from None
        key = data.get("ResultObject")
        if not isinstance(key, str) or not key.strip():
            raise PayloadError(_("{platform} made no seller authorization key.").format(
                platform=self.label), _try_later())
        self._on_new_key(key.strip())
        return key.strip()

    def _refused(self, refused: KeyRefused) -> ChannelAuthError:
        return ChannelAuthError(
            _("{platform} refused the seller authorization key ({code}: {message}).").format(
                platform=self.label, code=refused.code, message=refused.message),
            new_key_advice())

"""Qoo10 QSM API (QAPI): Qoo10 Japan, and Qoo10 Singapore as a second site.

Qoo10 publishes its API manual only behind the QSM seller login, so everything here comes
from public third-party material. What was checked, and where:

Verified in two or more independent public sources
- Transport: a form POST to `<service>/<Class.Method>` with the seller authorization key in
  the `GiosisCertificationKey` header, `QAPIVersion: 1.0` and `returnType=application/json`;
  HTTP is always 200 and the answer's `ResultCode` says whether it worked (0), with
  `ResultMsg` (a Qiita article on CreateCertificationKey and GetShippingInfo; a Korean QSM
  field report measured 2026-08; a Japanese WMS's Java "QootenAPI"; a Python client with
  SetSendingInfo; the official method pages crawled from developer.qoo10.jp into a public
  adapter's docs). The `?method=&key=` query form also exists; fulfill uses the header form.
- Hosts: Japan `https://api.qoo10.jp/GMKT.INC.Front.QAPIService/ebayjapan.qapi`; Singapore
  `https://api.qoo10.sg/GMKT.INC.Front.QAPIService/Giosis.qapi` (a PHP integration's region
  table, a Deno bridge, a Malaysian PHP client, a Korean developer's blog).
- Keys: `CertificationAPI.CreateCertificationKey(user_id, pwd)` with the API key in the
  header returns the seller authorization key in `ResultObject`; the key lasts a year and a
  new QSM password voids it (crawled method page, Qiita, stockcrew and goqsystem manuals).
  Key refusals: -10000 "Please check the Seller Authorization Key", -90001 to -90005
  (crawled result-code tables); a wrong key answers `{"ErrorCode": -90001, "ErrorMsg":
  "存在しないAPIです。"}` (field report).
- Orders: `ShippingBasic.GetShippingInfo_v2(ShippingStat, search_Sdate, search_Edate,
  search_condition)`, dates `yyyyMMdd` or `yyyyMMddHHmmss`, condition 1 order / 2 payment /
  3 shipping / 4 delivered date; one answer per status, unpaged; rows keyed `orderNo`
  (one item) within a cart `packNo`, `RelatedOrder` listing the cart's order numbers;
  statuses written "Awaiting shipping(1)", "On request(2)", "Seller confirm(3)",
  "On delivery(4)", "Delivered(5)"; times "YYYY-MM-DD HH:MM:SS" in Japan time; a cancelled
  order drops out of the listing (a production client's measurements; PHP, Java, Django and
  JS clients for the field names).
- Claims: `ShippingBasic.GetClaimInfo_V3(ClaimStat, search_Sdate, search_Edate,
  search_condition)`; ClaimStat 1 cancel requested, 2 cancelling, 3 cancelled, 4 return
  requested, 5 returning, 6 returned, 11-13 exchange requested / approved / resent,
  14 / 15 non-receipt refund (whole / part), 16 unpaid order cancelled; condition 1 order,
  2 request, 3 completion date; at most 90 days (-10003). One order:
  `ShippingBasic.GetShippingAndClaimInfoByOrderNo_V2(OrderNo)` (crawled method pages, a PHP
  and a TypeScript client).
- Write-back: `ShippingBasic.SetSendingInfo(OrderNo, ShippingCorp, TrackingNo)`, once per
  order number of a cart; Japanese carrier names "ヤマト宅急便", "佐川急便", "ゆうパック" (crawled
  method page, the Java WMS's carrier table).

Assumed (no source settles them; each is marked where it is used)
- GetShippingInfo_v2 is still served: the crawled method list shows only _v3, the field
  report found the older versions answering. The mapper also reads the v3 spellings.
- Qoo10 documents no row cap: an answer of FULL_ROWS rows or more may be cut, and the
  window is halved and asked again.
- Leaving ClaimStat out returns claims in every status (one client asks "claim:all" so).
- No rate limit is published: fulfill sends 1 request a second; the throttle signal is taken
  to be HTTP 429 from the Cloudflare edge api.qoo10.jp sits behind (field report).
- The carrier names Qoo10 expects for Korean carriers and on the Singapore site.
- Amounts: `ShippingRate` is the cart's fee repeated on each of its rows (counted once, on
  the cart's first order); the cart discounts are each row's share; a claim's
  `paymentAmount` is what went back to the buyer.
- Singapore answers in Singapore time and SGD.
- Qoo10 gives claims no id of their own: fulfill names one by kind, order and request time.
"""

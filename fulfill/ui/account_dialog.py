"""The add / edit account dialog of the Channels window, and the question before removing one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from fulfill.channels.base import CredentialField
from fulfill.domain import ChannelAccount, Platform
from fulfill.services.channels import (
    connector_class, credential_fields, is_sandbox, sandbox_available, supported_platforms,
)
from fulfill.errors import FulfillError
from fulfill.services.browser_sign_in import browser_sign_in, supports_browser_sign_in
from fulfill.translation import _, ngettext
from fulfill.ui.store_worker import run_in_thread

OK_COLOUR, BAD_COLOUR, MUTED_COLOUR = "#1e6b34", "#b3261e", "#5a6270"
SANDBOX_NOTE = _("A sandbox account talks to a local stand-in of {platform} on this computer, "
                  "with sample orders — for trying things out. No credentials needed.")


def _field_label(spec: CredentialField) -> str:
    """A credential field's label in the interface's language (the connectors mark them
    with N_; a label no catalogue has shows as it is)."""
    return _(spec.label)


def _field_help(spec: CredentialField) -> str:
    return _(spec.help) if spec.help else ""


class AccountDialog(QDialog):
    """Add an account (platform, name, the platform's credential fields) or edit one."""

    def __init__(self, parent: QWidget | None = None,
                 account: ChannelAccount | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.sandbox_requested = False
        self.fields: dict[str, QLineEdit] = {}
        self._field_specs: tuple[CredentialField, ...] = ()
        self.setWindowTitle(_("Edit {account}").format(account=account.display_name) if account
                            else _("Add a shop account"))
        self.setMinimumWidth(520)

        self.platform = QComboBox()
        self.platform_label = QLabel()
        self.name = QLineEdit(placeholderText=_("e.g. Seoul Glow — a name you will recognise"))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD_COLOUR}")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(_("Save") if account else _("Add account"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        top = QFormLayout()
        if account is None:
            for platform in supported_platforms():
                available = connector_class(platform) is not None
                label = (platform.label if available
                         else _("{platform} — coming soon").format(platform=platform.label))
                self.platform.addItem(label, platform.value)
                if not available:
                    self.platform.model().item(self.platform.count() - 1).setEnabled(False)
            first = next((i for i in range(self.platform.count())
                          if connector_class(Platform(self.platform.itemData(i)))), 0)
            self.platform.setCurrentIndex(first)
            self.top_label = QLabel(_("&Platform:"))
            self.top_label.setBuddy(self.platform)
            top.addRow(self.top_label, self.platform)
        else:
            self.platform_label.setText(account.platform.label)
            self.top_label = QLabel(_("Platform:"))
            top.addRow(self.top_label, self.platform_label)
        layout.addLayout(top)

        if account is None:
            sandbox_box = QFrame()
            sandbox_box.setFrameShape(QFrame.Shape.StyledPanel)
            box = QHBoxLayout(sandbox_box)
            self.sandbox_note = QLabel()
            self.sandbox_note.setWordWrap(True)
            self.sandbox_button = QPushButton(_("Add sa&ndbox account"))
            self.sandbox_button.setAutoDefault(False)
            self.sandbox_button.clicked.connect(self._add_sandbox)
            box.addWidget(self.sandbox_note, 1)
            box.addWidget(self.sandbox_button)
            layout.addWidget(sandbox_box)
            layout.addWidget(QLabel(_("Or connect your real shop:")))

        self.name_label = QLabel(_("&Name:"))
        self.name_label.setBuddy(self.name)
        self.form.addRow(self.name_label, self.name)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if account is None:
            self.platform.currentIndexChanged.connect(self._platform_changed)
            self._platform_changed()
        else:
            self.name.setText(account.name)
            self._build_fields(() if is_sandbox(account) else credential_fields(account.platform))
            if is_sandbox(account):
                note = QLabel(SANDBOX_NOTE.format(platform=account.platform.label))
                note.setWordWrap(True)
                self.form.addRow("", note)
        (self.name if account else self.platform).setFocus()

    def selected_platform(self) -> Platform:
        return self.account.platform if self.account else Platform(self.platform.currentData())

    def _platform_changed(self) -> None:
        platform = self.selected_platform()
        if sandbox_available(platform):
            self.sandbox_note.setText(SANDBOX_NOTE.format(platform=platform.label))
        else:
            self.sandbox_note.setText(_("There is no sandbox for {platform} yet; try the "
                                        "WooCommerce one to see how a sync works.").format(
                                            platform=platform.label))
        self.sandbox_button.setEnabled(sandbox_available(platform))
        self._build_fields(credential_fields(platform))
        self.error.setVisible(False)

    def _build_fields(self, specs: tuple[CredentialField, ...]) -> None:
        while self.form.rowCount() > 1:
            self.form.removeRow(1)
        self.fields.clear()
        self._field_specs = specs
        for spec in specs:
            edit = QLineEdit()
            if spec.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                if self.account is not None:
                    edit.setPlaceholderText(_("Empty keeps what is saved; type to replace it"))
            elif self.account is not None:
                edit.setText(str(self.account.settings.get(spec.key, "")))
            if spec.optional and not edit.placeholderText():
                edit.setPlaceholderText(_("Optional"))
            # Told from the English: a translated sentence may have no spaces at all.
            example = bool(spec.help) and " " not in spec.help  # "https://shop.example.com"
            help_text = _field_help(spec)
            if spec.help:
                edit.setToolTip(help_text)
                if example and not edit.placeholderText():
                    edit.setPlaceholderText(help_text)
            self.fields[spec.key] = edit
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(edit)
            if spec.help and not example:
                hint = QLabel(help_text)
                hint.setWordWrap(True)
                hint.setStyleSheet(f"color: {MUTED_COLOUR}")
                column.addWidget(hint)
            label = QLabel(_("{field}:").format(field=_field_label(spec)))
            label.setBuddy(edit)
            self.form.addRow(label, holder)
        if supports_browser_sign_in(self.selected_platform()):
            self.sign_in_button = QPushButton(_("Connect with {platform} in the browser…").format(
                platform=self.selected_platform().label))
            self.sign_in_button.clicked.connect(self._sign_in)
            self.form.addRow("", self.sign_in_button)
        # Two forms (the sandbox offer sits between them): one label column for both.
        labels = [self.top_label, self.name_label] + [
            self.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            for row in range(1, self.form.rowCount())
            if self.form.itemAt(row, QFormLayout.ItemRole.LabelRole) is not None]
        width = max(label.sizeHint().width() for label in labels if label is not None)
        for label in labels:
            if label is not None:
                label.setMinimumWidth(width)

    def _sign_in(self) -> None:
        """Sign in on the platform's page; the tokens it grants fill the fields."""
        platform, settings, secrets = self.selected_platform(), self.settings(), self.secrets()
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setText(_("Waiting for you to allow access in the browser…"))

        def done(granted: dict[str, str]) -> None:
            for key, value in granted.items():
                if key in self.fields:
                    self.fields[key].setText(value)
            self.sign_in_button.setText(_("Connected — press Add account to save"))

        def failed(error: Exception) -> None:
            self.sign_in_button.setEnabled(True)
            self.sign_in_button.setText(_("Connect with {platform} in the browser…").format(
                platform=platform.label))
            message = f"{error.message} {error.advice}" if isinstance(error, FulfillError) else str(error)
            self._complain(message, self.sign_in_button)

        run_in_thread(lambda: browser_sign_in(platform, settings, secrets), done, failed,
                      owner=self, name="browser-sign-in")

    def _add_sandbox(self) -> None:
        self.sandbox_requested = True
        self.accept()

    def _complain(self, text: str, widget: QWidget) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        widget.setFocus()

    def _accept_if_complete(self) -> None:
        if not self.name.text().strip():
            self._complain(_("Type a name for the account, e.g. your shop's name."), self.name)
            return
        for spec in self._field_specs:
            edit = self.fields[spec.key]
            editing_secret = self.account is not None and spec.secret
            if not edit.text().strip() and not editing_secret and not spec.optional:
                text = _("Fill in “{field}”.").format(field=_field_label(spec))
                self._complain(f"{text} {_field_help(spec)}" if spec.help else text, edit)
                return
        self.accept()

    def account_name(self) -> str:
        return self.name.text().strip()

    def settings(self) -> dict[str, str]:
        return {s.key: self.fields[s.key].text().strip() for s in self._field_specs if not s.secret}

    def secrets(self) -> dict[str, str]:
        """Secret fields that were typed (in edit mode an empty one means "keep")."""
        return {s.key: self.fields[s.key].text().strip() for s in self._field_specs
                if s.secret and self.fields[s.key].text().strip()}


def ask_to_remove(parent: QWidget, account: ChannelAccount, orders: int,
                  on_remove: Callable[[], None]) -> QMessageBox:
    """Open the question before removing an account; "Cancel" is the default (Esc, Enter)."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Remove account"),
                      _("Remove {account}?").format(account=account.display_name), parent=parent)
    box.setInformativeText(ngettext(
        "Its {count} order stays in the store and on the desk, with its history. fulfill stops "
        "syncing the account and deletes its credentials from the system keychain. You can add "
        "it again later.",
        "Its {count} orders stay in the store and on the desk, with their history. fulfill stops "
        "syncing the account and deletes its credentials from the system keychain. You can add "
        "it again later.", orders).format(count=f"{orders:,}"))
    remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)

    def answered(_result: int) -> None:
        if box.clickedButton() is remove:
            on_remove()

    box.finished.connect(answered)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

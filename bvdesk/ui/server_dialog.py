"""File > Connect to a Team Server: where the landlord's database is on a PostgreSQL server.

The dialog builds a libpq URL from the server, port, database, login and encryption; the
password (optional: libpq also finds it in the pgpass file) goes into the URL used to connect
only, and is never stored: the app remembers and shows the address without it.
"""

from __future__ import annotations

import urllib.parse

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

#: libpq's sslmode values, as the dialog words them.
ENCRYPTION = (("Required, and the server's certificate checked", "verify-full"),
              ("Required", "require"),
              ("If the server offers it", "prefer"))


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a Team Server")
        layout = QVBoxLayout(self)
        intro = QLabel("Your IT team gives you the server's name, the database and your login. "
                       "See docs/team-server.md.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = self._line("Server", "db.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setAccessibleName("Port")
        self.database = self._line("Database", "bvdesk_landlord")
        self.login = self._line("Login", "")
        self.password = self._line("Password", "from your pgpass file if left empty")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.encryption = QComboBox()
        self.encryption.setAccessibleName("Encryption")
        for label, mode in ENCRYPTION:
            self.encryption.addItem(label, mode)
        for label, widget in (("Server:", self.host), ("Port:", self.port),
                              ("Database:", self.database), ("Login:", self.login),
                              ("Password:", self.password), ("Encryption:", self.encryption)):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _line(name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setPlaceholderText(placeholder)
        return line

    def _check(self) -> None:
        missing = [name for name, line in (("the server", self.host),
                                           ("the database", self.database),
                                           ("your login", self.login))
                   if not line.text().strip()]
        if missing:
            self.problem.setText("Enter " + " and ".join(missing) + ".")
            return
        self.accept()

    def url(self) -> str:
        """The address to connect to (with the password, when one was typed)."""
        quote = urllib.parse.quote
        login = quote(self.login.text().strip(), safe="")
        password = self.password.text()
        credentials = login + (":" + quote(password, safe="") if password else "")
        host = self.host.text().strip()
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        query = urllib.parse.urlencode({"sslmode": self.encryption.currentData()})
        return (f"postgresql://{credentials}@{host}:{self.port.value()}/"
                f"{quote(self.database.text().strip(), safe='')}?{query}")


def ask_server(parent: QWidget | None = None) -> str | None:
    """The URL the user chose, or None when they cancelled."""
    dialog = ServerDialog(parent)
    return dialog.url() if dialog.exec() == QDialog.DialogCode.Accepted else None

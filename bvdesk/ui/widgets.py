"""Small building blocks shared by every screen: page headers, cards, messages."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import BvdeskError


def label(text: str = "", *, name: str = "", wrap: bool = False,
          selectable: bool = False) -> QLabel:
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return widget


def button(text: str, accessible: str = "", *, primary: bool = False,
           tip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible or text.replace("&", "").rstrip("."))
    if primary:
        widget.setObjectName("primary")
    if tip:
        widget.setToolTip(tip)
    return widget


def search_box(name: str, placeholder: str) -> QLineEdit:
    """A box to type a filter into, with a button that clears it."""
    box = QLineEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    for clear in box.findChildren(QToolButton):
        clear.setAccessibleName(f"Clear {name[0].lower()}{name[1:]}")
    return box


class PageHeader(QWidget):
    """A page's title and one-line explanation, with room for buttons on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        texts = QVBoxLayout()
        self.title = label(title, name="pageTitle")
        self.title.setAccessibleName("Page title")
        self.subtitle = label(subtitle, name="pageSubtitle", wrap=True)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        layout.addLayout(texts, 1)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)

    def set_text(self, title: str, subtitle: str = "") -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)


class Card(QFrame):
    """A white panel with a bold title."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(8)
        self.title_label = label(title, name="cardTitle")
        if title:
            self.body.addWidget(self.title_label)


def selection_text(view: QAbstractItemView) -> str:
    """The selected cells as Excel reads a paste: rows on lines, cells separated by tabs.

    The block runs from the first to the last selected row and column; cells inside it that are
    not selected are left empty, as Excel leaves them.
    """
    indexes = view.selectionModel().selectedIndexes()
    current = view.currentIndex()
    if not indexes and current.isValid():
        whole_rows = view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
        model = view.model()
        indexes = ([model.index(current.row(), c) for c in range(model.columnCount())]
                   if whole_rows else [current])
    if not indexes:
        return ""
    cells = {(i.row(), i.column()): _cell_text(i) for i in indexes}
    rows = sorted({r for r, _c in cells})
    columns = sorted({c for _r, c in cells})
    return "\n".join("\t".join(cells.get((r, c), "") for c in columns) for r in rows)


def _cell_text(index: QModelIndex) -> str:
    value = index.data(Qt.ItemDataRole.DisplayRole)
    text = "" if value is None else str(value)
    return " ".join(text.split())  # a tab or line break inside a cell would split it


def excel_table(view: QAbstractItemView) -> QAction:
    """Let a table be copied out like Excel: Ctrl+C (and Copy on its context menu) puts the
    selected cells on the clipboard as tab-separated text, which pastes into a spreadsheet."""
    action = QAction("&Copy", view)
    action.setShortcut(QKeySequence.StandardKey.Copy)
    # The key itself is caught below: an item view would otherwise copy only the current cell.
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _checked=False: copy_selection(view))
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.installEventFilter(_CopyKey(view))
    return action


def copy_selection(view: QAbstractItemView) -> None:
    QGuiApplication.clipboard().setText(selection_text(view))


class _CopyKey(QObject):
    """Ctrl+C on a table copies the whole selection (see ``excel_table``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and \
                isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy):
            event.accept()
            if event.type() == QEvent.Type.KeyPress and isinstance(watched, QAbstractItemView):
                copy_selection(watched)
            return True
        return False


class SortFilter(QSortFilterProxyModel):
    """Sorting by a column's value (numbers as numbers) and a filter over every column."""

    def __init__(self, sort_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(sort_role)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt name
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(self.sortRole()), right.data(self.sortRole())
        if a is None or b is None:
            return a is None and b is not None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


def tell(parent: QWidget, title: str, text: str, *, details: str = "") -> None:
    """Say how a long task ended, in a message that does not hold up the window."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    if details:
        box.setInformativeText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def show_error(parent: QWidget | None, exc: BaseException, *, doing: str = "") -> None:
    """Tell the user what went wrong in plain English, and what to do next."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("bvdesk")
    if isinstance(exc, BvdeskError):
        box.setText(exc.message)
    else:
        lead = f"Something went wrong while {doing}." if doing else "Something went wrong."
        box.setText(f"{lead} Nothing you typed has been lost. Try again; if it happens again, "
                    "send the details below to your system administrator.")
        box.setDetailedText(f"{type(exc).__name__}: {exc}")
    box.setAccessibleName("Error message")
    box.open()


#: The shortest line of a turned heading (longer when its lines side by side are too wide).
TURNED_LINE = 110


class _TurningHeader(QHeaderView):
    """A table's column headings, some of which may be drawn turned, reading upwards, so that
    their columns need be no wider than their contents (see ``fit_columns``)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(Qt.Orientation.Horizontal, view)
        self.turned: set[int] = set()
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def paintSection(self, painter: QPainter, rect: QRect,  # noqa: N802 - Qt name
                     logicalIndex: int) -> None:  # noqa: N803 - Qt name
        if logicalIndex not in self.turned:
            super().paintSection(painter, rect, logicalIndex)
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logicalIndex
        option.text = ""
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()
        painter.save()
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        painter.setFont(_bold(self.font()))
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        title = str(self.model().headerData(logicalIndex, Qt.Orientation.Horizontal) or "")
        painter.drawText(QRect(6, 0, rect.height() - 12, rect.width()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                             | Qt.TextFlag.TextWordWrap), title)
        painter.restore()


def _bold(font: QFont) -> QFont:
    bold = QFont(font)  # headings are drawn bold (theme)
    bold.setBold(True)
    return bold


class _ColumnFit(QObject):
    """Keeps a table's columns within its width (see ``fit_columns``)."""

    def __init__(self, view: QTableView, stretch: tuple[int, ...],
                 fold: tuple[int, ...], turn: int | None) -> None:
        super().__init__(view)
        self._view = view
        self._stretch = stretch
        self._fold = fold
        self._turn = turn
        self._model: QAbstractItemModel | None = None
        self._pending = False
        #: A table out of sight (another tab, a page not shown) is fitted when it is shown.
        self._stale = True
        if turn is not None:
            view.setHorizontalHeader(_TurningHeader(view))
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(header.defaultAlignment() | Qt.TextFlag.TextWordWrap)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        view.viewport().installEventFilter(self)
        self.watch()

    def watch(self) -> None:
        model = self._view.model()
        if model is self._model or model is None:
            return
        self._model = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.dataChanged, model.headerDataChanged):
            signal.connect(self.later)
        self.later()

    def later(self, *_args: object) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Resize:
            self.later()
        elif event.type() == QEvent.Type.Show and self._stale:
            self.fit()  # before it is first painted
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._view.indexAt(event.pos())
            tip = self.tip(index) if index.isValid() else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self._view)
                return True
        return False

    def folded(self) -> list[int]:
        header = self._view.horizontalHeader()
        return [c for c in self._fold if header.isSectionHidden(c)]

    def tip(self, index: QModelIndex) -> str:
        """What hovering over a cell shows: its own tip, or its text when cut short; then the
        row's figures in the columns folded away."""
        own = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        if not own:
            text = str(index.data() or "")
            room = self._view.visualRect(index).width() - 8
            if text and self._view.fontMetrics().horizontalAdvance(text) > room:
                own = text
        model = index.model()
        folded = [f"{model.headerData(c, Qt.Orientation.Horizontal)}: "
                  f"{model.index(index.row(), c).data() or ''}" for c in self.folded()]
        return "\n".join(line for line in (own, *folded) if line)

    def fit(self) -> None:
        self._pending = False
        view, model = self._view, self._view.model()
        self.watch()
        if model is None or model.columnCount() == 0:
            return
        if not view.isVisible():
            self._stale = True
            return
        self._stale = False
        header = view.horizontalHeader()
        metrics, cells = QFontMetrics(_bold(header.font())), view.fontMetrics()
        pad = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 8
        cell_pad = 12
        for c in self._fold:
            header.setSectionHidden(c, False)
        columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
        natural: dict[int, int] = {}
        least: dict[int, int] = {}
        text: list[int] = []  # the columns that can give way (names wrap last)
        lines = 1
        stretch = [c for c in self._stretch if c in columns] or columns[-1:]
        for c in columns:
            title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            word = max((metrics.horizontalAdvance(w) for w in title.split()), default=0)
            whole = metrics.horizontalAdvance(title)
            contents = view.sizeHintForColumn(c)
            # A heading takes at most two lines at its column's natural width, three at least.
            natural[c] = max(contents, max(word, whole // 2) + pad, 36)
            align = model.index(0, c).data(Qt.ItemDataRole.TextAlignmentRole) \
                if model.rowCount() else None
            if align is not None and Qt.AlignmentFlag(int(align)) & Qt.AlignmentFlag.AlignRight:
                cell_word = contents  # a number is never broken
            else:  # text wraps between words: its longest word is as narrow as it goes
                words = (str(model.index(r, c).data() or "").split()
                         for r in range(min(model.rowCount(), 200)))
                cell_word = max((cells.horizontalAdvance(w) for ws in words for w in ws),
                                default=0) + cell_pad
            least[c] = (min(natural[c], 100) if c in stretch else
                        min(natural[c], max(max(word, whole // 3) + pad, cell_word, 48)))
            if c in stretch or natural[c] > least[c]:  # numbers give way to their headings
                text.append(c)
        room = view.viewport().width()
        turned = self._turned(columns, natural, least, text, room)
        for c in self._fold:  # the least needed figures step aside, to the row's tooltip
            if sum(natural[k] if k not in text else least[k] for k in columns) <= room:
                break
            header.setSectionHidden(c, True)
            columns.remove(c)
            if c in text:
                text.remove(c)
        widths = dict(natural)
        left = room - sum(natural[c] for c in columns if c not in text)
        if sum(natural[c] for c in text) <= left:
            extra = left - sum(natural[c] for c in text)
            for c in stretch:
                widths[c] += extra // len(stretch)
        else:  # names first: the other text columns give up room, then the names wrap
            others = [c for c in text if c not in stretch]
            names = sum(natural[c] for c in stretch)
            cap = max([natural[c] for c in others], default=0)
            while cap > 0 and names + sum(min(natural[c], max(cap, least[c]))
                                          for c in others) > left:
                cap -= 4
            for c in others:
                widths[c] = min(natural[c], max(cap, least[c]))
            spare = left - sum(widths[c] for c in others)
            for c in stretch:
                widths[c] = max(least[c], spare // len(stretch))
        tall = max(turned.values(), default=0)
        for c in columns:
            header.resizeSection(c, widths[c])
            if c in turned:
                continue
            title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            wrapped = metrics.boundingRect(QRect(0, 0, max(1, widths[c] - pad), 10_000),
                                           Qt.TextFlag.TextWordWrap, title)
            lines = max(lines, round(wrapped.height() / metrics.lineSpacing()))
        header.setMinimumHeight(max(lines * metrics.lineSpacing() + 10, tall))
        if isinstance(header, _TurningHeader) and header.turned != set(turned):
            header.turned = set(turned)
            header.viewport().update()
        wrap = any(widths[c] < natural[c] for c in text)
        if wrap or view.wordWrap():
            view.setWordWrap(wrap)
            view.resizeRowsToContents()


    def _turned(self, columns: list[int], natural: dict[int, int], least: dict[int, int],
                text: list[int], room: int) -> dict[int, int]:
        """When the columns do not fit even at their least, the *turn* columns' headings are
        turned to read upwards, and the columns take the width of their contents and of the
        heading's lines side by side. Returns the turned columns' heading lengths."""
        if self._turn is None or sum(least[c] if c in text else natural[c]
                                     for c in columns) <= room:
            return {}
        view, model = self._view, self._view.model()
        metrics = QFontMetrics(_bold(view.horizontalHeader().font()))
        fixed = sum(least[c] if c in text else natural[c] for c in columns if c < self._turn)
        titles = {c: str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                  for c in columns if c >= self._turn}
        turned: dict[int, int] = {}
        thick: dict[int, int] = {}
        for line in range(TURNED_LINE, 3 * TURNED_LINE, 10):  # the shortest heading that fits
            for c, title in titles.items():
                longest = max([line] + [metrics.horizontalAdvance(w) for w in title.split()])
                wrapped = metrics.boundingRect(QRect(0, 0, longest, 10_000),
                                               Qt.TextFlag.TextWordWrap, title)
                thick[c] = max(view.sizeHintForColumn(c), wrapped.height() + 10)
                turned[c] = wrapped.width() + 16
            if fixed + sum(thick.values()) <= room:
                break
        for c in titles:
            natural[c] = least[c] = thick[c]
            if c in text:
                text.remove(c)
        return turned


class _HeightFit(QObject):
    """Keeps a table tall enough for its rows (see ``fit_height``)."""

    def __init__(self, view: QTableView, most: int) -> None:
        super().__init__(view)
        self._view = view
        self._most = most
        view.verticalHeader().sectionResized.connect(self.fit)
        view.verticalHeader().sectionCountChanged.connect(self.fit)
        view.horizontalHeader().geometriesChanged.connect(self.fit)
        view.model().modelReset.connect(self.fit)
        view.horizontalScrollBar().rangeChanged.connect(self.fit)

    def fit(self, *_args: object) -> None:
        view = self._view
        rows = min(view.model().rowCount(), self._most)
        frame = 2 * view.frameWidth()
        scroll = view.horizontalScrollBar()
        height = (view.horizontalHeader().height() + frame
                  + sum(view.rowHeight(r) for r in range(rows))
                  + (scroll.sizeHint().height() if scroll.maximum() > 0 else 0))
        view.setMinimumHeight(max(height, view.minimumSizeHint().height()))


class _PinnedColumn(QTableView):
    """A table's first column drawn again over it while the table is scrolled sideways, so each
    row's name stays in sight (see ``pin_first_column``)."""

    def __init__(self, view: QTableView, name: str) -> None:
        super().__init__(view)
        self._view = view
        self.setAccessibleName(name)
        self.setModel(view.model())
        self.setSelectionModel(view.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(view.editTriggers())
        self.setAlternatingRowColors(view.alternatingRowColors())
        self.setWordWrap(True)
        self.horizontalHeader().setDefaultAlignment(view.horizontalHeader().defaultAlignment())
        view.horizontalHeader().sectionResized.connect(self._column_resized)
        view.horizontalHeader().geometriesChanged.connect(self.place)
        view.verticalHeader().sectionResized.connect(
            lambda row, _old, height: self.setRowHeight(row, height))
        view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.horizontalScrollBar().valueChanged.connect(self.place)
        view.horizontalScrollBar().rangeChanged.connect(self.place)
        for signal in (view.model().modelReset, view.model().columnsInserted,
                       view.model().layoutChanged):
            signal.connect(self._reset)
        self._reset()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        # Choosing a name here keeps the table where it is (it would scroll back to the names).
        scroll = self._view.horizontalScrollBar()
        kept = scroll.value()
        super().mousePressEvent(event)
        scroll.setValue(kept)

    def _reset(self, *_args: object) -> None:
        for column in range(self.model().columnCount()):
            self.setColumnHidden(column, column != 0)
        for row in range(self.model().rowCount()):
            self.setRowHeight(row, self._view.rowHeight(row))
        self.place()

    def _column_resized(self, column: int, _old: int, width: int) -> None:
        if column == 0:
            self.setColumnWidth(0, width)
            self.place()

    def place(self, *_args: object) -> None:
        """Over the table's first column, shown only while the table is scrolled sideways."""
        view = self._view
        scrolled = view.horizontalScrollBar().value() > 0
        self.setVisible(scrolled)
        if not scrolled:
            return
        self.setColumnWidth(0, view.columnWidth(0))
        self.horizontalHeader().setFixedHeight(view.horizontalHeader().height())
        frame = view.frameWidth()
        self.setGeometry(frame + view.verticalHeader().width(), frame, view.columnWidth(0) + 1,
                         view.horizontalHeader().height() + view.viewport().height())
        self.verticalScrollBar().setValue(view.verticalScrollBar().value())


def pin_first_column(view: QTableView, name: str) -> QTableView:
    """Keep *view*'s first column (the rows' names) in sight while the table is scrolled
    sideways, as a spreadsheet's frozen pane; *name* is what a screen reader calls the pinned
    copy. Returns it, to give it the table's editors (its own item delegate)."""
    return _PinnedColumn(view, name)


def fit_height(view: QTableView, most: int) -> None:
    """Keep *view* tall enough to show up to *most* rows whole, without scrolling, as its rows
    come and go and wrap onto more lines; more rows than that scroll."""
    _HeightFit(view, most)


def fit_columns(view: QTableView, stretch: int | tuple[int, ...] = 0, *,
                fold: tuple[int, ...] = (), turn: int | None = None) -> None:
    """The column widths every table uses: the *stretch* columns (names) get their longest text
    and the spare room; the others fit their contents, long headers wrap onto a second line, and
    when the table is too narrow the widest other columns are cut short (the whole text shows on
    hover) rather than the table scrolling sideways. When even that is too wide, the *fold*
    columns (secondary figures, least needed first) step aside: hovering over a row shows them;
    the headings of the columns from *turn* on are turned to read upwards (a grid of scores
    under long names), so those columns need be no wider than their contents. Follows model
    changes and resizes; *turn* must be given the first time (it replaces the view's header)."""
    existing = view.findChild(_ColumnFit)
    if existing is not None:
        existing.watch()
        existing.later()
        return
    _ColumnFit(view, (stretch,) if isinstance(stretch, int) else tuple(stretch), fold, turn)

"""Backup dialog, audit viewer and the menus each role sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.audit import Actor
from app.services import Services
from ui import dialogs
from ui.audit_page import AuditPage
from ui.backup_dialog import BackupDialog
from ui.main_window import MainWindow
from ui.models.audit_model import AuditColumn
from ui.settings import Settings
from ui.tasks import TaskRunner


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _p, m, title="": shown.append(m))
    monkeypatch.setattr(dialogs, "error", lambda _p, m, title="": shown.append("ERROR " + m))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, m: shown.append(m) or True)
    return shown


def test_backup_then_restore_from_the_list(  # noqa: PLR0917
    qtbot,
    demo_services: Services,
    runner: TaskRunner,
    tmp_path: Path,
    said: list[str],
    monkeypatch,
) -> None:
    out = tmp_path / "usb" / "copy.sqlite3"
    out.parent.mkdir()
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: str(out))
    dialog = BackupDialog(demo_services, runner)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0 and not dialog.restore_selected_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    # the copy is made off the GUI thread; the clerk is told when it is done
    qtbot.waitUntil(lambda: bool(said) and said[-1].startswith("已备份到"), timeout=10000)
    assert out.exists() and said[-1].startswith(f"已备份到 {out}")
    dialog.runner.wait()
    households = demo_services.stats.summary()["households"]
    demo_services.households.delete_household(demo_services.households.household_ids()[0])
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: str(out))
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_file_button.click()
    assert "用备份 copy.sqlite3 替换当前数据库吗" in said[-2]
    assert said[-1].startswith(f"已恢复（住户 {households} 户")
    assert demo_services.stats.summary()["households"] == households
    again = BackupDialog(demo_services, runner)
    qtbot.addWidget(again)
    assert again.list.count() == 1 and "恢复前的原库" in again.list.item(0).text()


def test_bad_file_is_refused_in_the_dialog(  # noqa: PLR0917
    qtbot,
    demo_services: Services,
    runner: TaskRunner,
    tmp_path: Path,
    said: list[str],
    monkeypatch,
) -> None:
    bad = tmp_path / "x.sqlite3"
    bad.write_text("nope", encoding="utf-8")
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: str(bad))
    dialog = BackupDialog(demo_services, runner)
    qtbot.addWidget(dialog)
    dialog.restore_file_button.click()
    assert said[-1] == "ERROR x.sqlite3 不是楼院通的数据库备份文件。"


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", {"backup", "users", "audit"}),
        ("clerk", {"backup"}),
        ("viewer", set()),
    ],
)
def test_menus_follow_the_role(
    qtbot, demo_services: Services, prefs: Settings, role: str, visible: set[str]
) -> None:
    services = Services.build(demo_services.db, Actor("someone", role, 1))
    window = MainWindow(services, prefs)
    qtbot.addWidget(window)
    menu = window.system_menu
    shown = {
        name
        for name, action in (
            ("backup", menu.backup_action),
            ("users", menu.users_action),
            ("audit", menu.audit_action),
        )
        if action.isVisible()
    }
    assert shown == visible
    assert menu.password_action.isVisible()
    label = {"admin": "管理员", "clerk": "工作人员", "viewer": "只读"}[role]
    assert window.user_label.text() == f"用户：someone（{label}）"


def test_audit_viewer_filters(qtbot, demo_services: Services) -> None:
    from app.registry.dto import CompoundInput

    community = demo_services.compounds.communities()[0].id
    demo_services.compounds.create_compound(CompoundInput(name="新楼院甲", community_id=community))
    Services.build(demo_services.db, Actor("李四", "clerk")).compounds.create_compound(
        CompoundInput(name="新楼院乙", community_id=community)
    )
    page = AuditPage(demo_services.audit_log)
    qtbot.addWidget(page)
    everything = page.model.total
    assert everything > 2 and page.count_label.text() == f"共 {everything} 条"  # the demo's log
    page.entity.setCurrentIndex(page.entity.findText("楼院"))
    assert page.model.rowCount() == 2 and page.count_label.text() == "共 2 条"
    page.user.setCurrentIndex(page.user.findData("李四"))
    assert page.model.rowCount() == 1 and "新楼院乙" in page.model.row_at(0).after
    shown = page.model.index(0, AuditColumn.AFTER).data()
    assert "名称：新楼院乙" in shown and "{" not in shown  # read as words, not JSON
    page.reset_button.click()
    assert page.model.total == everything
    page.action.setCurrentIndex(page.action.findText("新增"))
    assert page.count_label.text() == "共 2 条"


def test_audit_model_passes_modeltester(qtmodeltester, demo_services: Services) -> None:
    page = AuditPage(demo_services.audit_log)
    qtmodeltester.check(page.model)

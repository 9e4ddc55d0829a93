"""An unexpected error on the command line: one line for the user, the traceback in the data folder's log."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pytest

from trayhabit import commands
from trayhabit.cli import main
from trayhabit.core.applog import DataFolderLog, log_path
from trayhabit.core.service import HabitService


def _broken(_service: HabitService, _args: argparse.Namespace) -> int:
    raise RuntimeError("a bug in list: the index is off by one")


def test_an_unexpected_error_exits_70_with_one_line_naming_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    monkeypatch.setitem(commands.COMMANDS, "list", _broken)

    code = main(["--data-dir", str(data), "list"])

    out, err = capsys.readouterr()
    log = log_path(data)
    assert code == 70
    assert out == ""
    assert err.splitlines() == [f"trayhabit: internal error, details in {log}"]
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: a bug in list: the index is off by one" in text
    assert "in _broken" in text
    # Everything the command set up is taken down again (the tests run many commands in a process).
    assert not any(isinstance(handler, DataFolderLog) for handler in logging.getLogger().handlers)


def test_an_error_the_user_can_act_on_stays_one_line_with_exit_1_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"

    code = main(["--data-dir", str(data), "done", "no such habit"])

    _out, err = capsys.readouterr()
    assert code == 1
    assert len(err.splitlines()) == 1 and "internal error" not in err
    assert not log_path(data).exists() or "Traceback" not in log_path(data).read_text(encoding="utf-8")


def test_a_keyboard_interrupt_is_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_service: HabitService, _args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(commands.COMMANDS, "list", interrupted)

    with pytest.raises(KeyboardInterrupt):
        main(["--data-dir", str(tmp_path / "data"), "list"])
    assert not log_path(tmp_path / "data").exists()


def test_without_a_log_the_traceback_goes_to_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("a file where the log folder should be\n")
    monkeypatch.setitem(commands.COMMANDS, "list", _broken)

    code = main(["--data-dir", str(data), "list"])

    _out, err = capsys.readouterr()
    assert code == 70
    assert "RuntimeError: a bug in list: the index is off by one" in err
    assert err.splitlines()[0].startswith("trayhabit: warning: cannot write the log ")
    assert err.splitlines()[-1] == "trayhabit: internal error (shown above)"

"""Meta-tests: what is promised in the README and docs exists, and what exists is documented."""

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from conflictkb.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "Quick start has no bash code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands_installing_into_dot_venv() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    for command in commands:
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert "conflictkb ingest examples/seeds" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_examples_hold_the_sample_corpus() -> None:
    assert len(list((ROOT / "examples" / "seeds").glob("*.txt"))) == 5


def test_every_command_is_documented_and_has_help() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert {"ingest", "extract", "export", "status", "serve"} <= set(names)
    for name in names:
        assert f"`conflictkb {name}" in README, f"command {name} is not in the README"
        result = subprocess.run(
            [sys.executable, "-m", "conflictkb.cli", name, "--help"], capture_output=True, text=True
        )
        assert result.returncode == 0 and "--" in result.stdout, name


def test_every_option_of_every_command_is_documented() -> None:
    import typer.main

    click_app = typer.main.get_command(app)
    for name, command in _all_commands(click_app):
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"option {opt} of {name} is not in the README"


def _all_commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every command, sub-commands of groups included ("gazetteer load")."""
    found = []
    for name, command in getattr(group, "commands", {}).items():
        found.append((f"{prefix}{name}", command))
        found.extend(_all_commands(command, f"{prefix}{name} "))
    return found


def test_every_sub_command_is_in_the_readme() -> None:
    import typer.main

    for name, _ in _all_commands(typer.main.get_command(app)):
        assert f"conflictkb {name}" in README, f"conflictkb {name} is not in the README"


def test_architecture_names_every_module() -> None:
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in (ROOT / "conflictkb").rglob("*.py"):
        if path.name == "__init__.py" and path.parent.name != "conflictkb":
            continue
        rel = path.relative_to(ROOT / "conflictkb")
        name = f"{rel.parts[0]}/" if len(rel.parts) > 1 else rel.name
        if rel.name == "__init__.py":
            continue
        assert f"`{name}" in architecture, f"{rel} is not in docs/architecture.md"

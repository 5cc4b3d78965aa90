"""The documentation site: every page in the navigation and every navigation entry a page,
every relative link from the README and the pages to a file that exists, the README short
and still carrying the two commands; and ``mkdocs build --strict`` (the step ``make test``
runs) refusing a broken link and a page left out of the navigation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def nav_pages(entries) -> list[str]:
    pages = []
    for entry in entries:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def relative_links(path: Path) -> list[str]:
    links = LINK.findall(path.read_text(encoding="utf-8"))
    return [link for link in links if not re.match(r"^[a-z]+:|^#|^/", link)]


def test_every_page_is_in_the_navigation_and_every_entry_is_a_page():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = nav_pages(config["nav"])
    on_disk = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))

    assert sorted(in_nav) == on_disk
    assert len(in_nav) == len(set(in_nav)), "a page is in the navigation twice"


@pytest.mark.parametrize(
    "source", [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))], ids=lambda p: p.name
)
def test_relative_links_lead_to_files_that_exist(source):
    broken = [
        link for link in relative_links(source) if not (source.parent / link.split("#")[0]).exists()
    ]
    assert broken == []


def test_the_readme_is_the_pitch_the_two_commands_the_logins_and_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert len(readme.splitlines()) < 200
    assert "make run" in readme and "make test" in readme
    assert "flywheel-demo" in readme and "`head-claims`" in readme
    linked = {link.split("#")[0] for link in relative_links(ROOT / "README.md")}
    pages = {f"docs/{p.relative_to(DOCS)}" for p in DOCS.rglob("*.md")}
    assert pages <= linked, f"pages the README does not link: {sorted(pages - linked)}"


def mkdocs_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "s")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def copy_of_the_docs(tmp_path):
    pytest.importorskip("mkdocs")
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_the_strict_build_passes_and_refuses_what_would_rot(copy_of_the_docs):
    project = copy_of_the_docs
    assert mkdocs_build(project).returncode == 0

    (project / "docs" / "orphan.md").write_text("# Not in the navigation\n")
    left_out = mkdocs_build(project)
    assert left_out.returncode != 0 and "orphan.md" in left_out.stderr

    (project / "docs" / "orphan.md").unlink()
    index = project / "docs" / "index.md"
    index.write_text(index.read_text() + "\n[gone](no-such-page.md)\n")
    broken = mkdocs_build(project)
    assert broken.returncode != 0 and "no-such-page.md" in broken.stderr

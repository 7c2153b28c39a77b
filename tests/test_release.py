"""Releases: the archive of every data file (deterministic, checked by its manifest, refused over
the sources), CITATION.cff and .zenodo.json in step with config.yaml."""
import hashlib
import io
import json
import subprocess
import sys
import zipfile

import yaml

from edition.release import release

from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, timeout=300)


def test_two_releases_are_byte_identical_and_hold_every_data_file(mini, tmp_path):
    first, count = release(mini, tmp_path / "one")
    second, _ = release(mini, tmp_path / "two")
    assert first.name == "coalition-arabic-press-data-unversioned.zip"
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}  # regular files, rw-r--r--
        members = {name.split("/", 1)[1]: archive.read(name) for name in names}
    from edition.pipeline import build
    site = build(mini).files
    data = sorted(path for path in site if path.startswith("data/"))
    assert count == len(data) == 12  # the report: 4 files, 2 annotation pages, 1 TEI; 2 collections, 2 registers, the TEI corpus
    assert sorted(members) == sorted(data + ["README.txt", "MANIFEST.sha256"])
    assert all(members[path] == site[path] for path in data)
    listed = dict(reversed(line.split("  ", 1)) for line in members["MANIFEST.sha256"].decode().splitlines())
    assert listed == {path: hashlib.sha256(data).hexdigest() for path, data in members.items() if path != "MANIFEST.sha256"}
    readme = members["README.txt"].decode("utf-8")
    assert all(path in readme for path in data) and "sha256sum -c MANIFEST.sha256" in readme


def test_a_release_is_named_and_dated_by_the_editions_version(mini, tmp_path):
    config = mini / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'version: "1.2"\ndate: "2027-03-04"\n', encoding="utf-8")
    archive, _ = release(mini, tmp_path)
    assert archive.name == "coalition-arabic-press-data-1.2.zip"
    with zipfile.ZipFile(archive) as opened:
        assert {info.date_time for info in opened.infolist()} == {(2027, 3, 4, 0, 0, 0)}
        readme = opened.read("coalition-arabic-press-data-1.2/README.txt").decode("utf-8")
    assert "Version 1.2, 2027-03-04" in readme and "version 1.2" in readme


def test_the_command_writes_into_dist_and_refuses_the_sources(mini):
    result = run("--project", str(mini), "--release")
    assert result.returncode == 0, result.stderr
    assert (mini / "dist" / "coalition-arabic-press-data-unversioned.zip").is_file()
    assert not (mini / "site").exists()
    for where in ("content", "content/reports", "templates", ".", ".."):
        before = sorted(p.relative_to(mini) for p in mini.rglob("*"))
        refused = run("--project", str(mini), "--release", "--dist", str(mini / where))
        assert refused.returncode == 2, where
        assert refused.stderr.startswith("build.py: error: --dist ") and "Traceback" not in refused.stderr
        assert sorted(p.relative_to(mini) for p in mini.rglob("*")) == before
    assert run("--project", str(mini), "--dist", "x").returncode == 2  # --dist without --release


def test_a_release_of_broken_sources_writes_nothing(mini):
    path = mini / "content/annotations/mosul.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: place", "kind: plaice"), encoding="utf-8")
    result = run("--project", str(mini), "--release")
    assert result.returncode == 1
    assert "content/annotations/mosul.yaml:2:7: error: kind: must be one of" in result.stderr
    assert not (mini / "dist").exists()


def test_the_editions_release_holds_every_data_file_of_its_site(built_site, tmp_path):
    archive, count = release(ROOT, tmp_path)
    data = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "data").rglob("*") if p.is_file())
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as opened:
        prefix = archive.name.removesuffix(".zip") + "/"
        assert sorted(n.removeprefix(prefix) for n in opened.namelist()) == sorted(data + ["MANIFEST.sha256", "README.txt"])
    assert count == len(data)


def test_citation_cff_has_the_required_keys_and_the_editions_version():
    # cffconvert would pin jsonschema 3 (the tests use 4), so the file is read as YAML here
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert all(cff[key] for key in ("message", "title", "authors"))
    assert all(set(author) & {"name", "family-names"} for author in cff["authors"])
    assert (cff["version"], cff["date-released"]) == (config["version"], config["date"])
    assert "doi" not in cff and "identifiers" not in cff  # no DOI until a release has one


def test_zenodo_metadata_matches_the_edition():
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert (zenodo["version"], zenodo["publication_date"]) == (config["version"], config["date"])
    assert zenodo["upload_type"] == "dataset" and zenodo["creators"] and zenodo["license"] == "cc-by-4.0"
    assert "doi" not in zenodo


def test_the_changelog_has_a_section_for_the_current_version():
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {config['version']} — {config['date']}\n" in changelog


def test_a_release_replaces_a_link_in_its_place_and_never_writes_through_it(mini, tmp_path):
    """An archive's name (or any name beside it) planted as a link to a source is replaced, not
    written through; an archive that cannot be written is one line, exit 1."""
    dist, source = tmp_path / "dist", mini / "content" / "annotations" / "mosul.yaml"
    before = source.read_bytes()
    dist.mkdir()
    name = "coalition-arabic-press-data-unversioned"
    for planted in (f"{name}.zip", f".{name}.zip.partial", f".{name}.zip.new"):
        (dist / planted).symlink_to(source)
    result = run("--project", str(mini), "--release", "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    assert source.read_bytes() == before
    assert not (dist / f"{name}.zip").is_symlink() and zipfile.is_zipfile(dist / f"{name}.zip")
    (dist / f"{name}.zip").unlink()
    (dist / f"{name}.zip").mkdir()  # a folder where the archive goes
    result = run("--project", str(mini), "--release", "--dist", str(dist))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"build.py: error: cannot write the release archive into '{dist}': ")
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in dist.iterdir()) == sorted([f"{name}.zip", f".{name}.zip.partial", f".{name}.zip.new"])


def test_a_release_without_the_sites_address_says_its_addresses_are_paths(mini, tmp_path):
    """The Web Annotation model wants an IRI as an annotation's id: a release built with a path as
    base_url (the fixture's '/') says what its addresses are; one built with the address does not."""
    def readme(**options):
        archive, _ = release(mini, tmp_path / str(len(options)), **options)
        with zipfile.ZipFile(archive) as opened:
            name = next(n for n in opened.namelist() if n.endswith("/README.txt"))
            return opened.read(name).decode("utf-8")
    assert "built without the site's address (base_url /)" in readme()
    assert "paths from the site's root (/…)" in readme()
    assert "without the site's address" not in readme(base_url="https://example.org/edition/")


"""The benchmark's own pieces at tiny size (bench/): the gzipping server, the results writer and the
synthetic corpus. No timings are asserted: those belong in bench/results.md."""
from __future__ import annotations

import gzip
import sys
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import report  # noqa: E402
from gzipserve import GzipServer  # noqa: E402


def fetch(url: str, gzip_ok: bool = True) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "en" / "search").mkdir(parents=True)
    (root / "en" / "search" / "index.html").write_text("<p>search</p>" * 200, encoding="utf-8")
    (root / "index.json").write_text('{"a": 1}' * 300, encoding="utf-8")
    (root / "x.pf_index").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    return root


def test_server_gzips_text_types_and_counts_the_bytes_it_sends(site):
    with GzipServer(site) as server:
        status, headers, body = fetch(server.url + "/index.json")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (site / "index.json").read_bytes()
        assert len(body) < (site / "index.json").stat().st_size
        sent = server.take()
        assert [(s.path, s.bytes, s.encoding) for s in sent] == [("/index.json", len(body), "gzip")]
        assert server.take() == []


def test_server_sends_binary_files_and_clients_without_gzip_as_they_are(site):
    with GzipServer(site) as server:
        _, headers, body = fetch(server.url + "/x.pf_index")
        assert "Content-Encoding" not in headers and body == (site / "x.pf_index").read_bytes()
        _, headers, body = fetch(server.url + "/index.json", gzip_ok=False)
        assert "Content-Encoding" not in headers and body == (site / "index.json").read_bytes()
        assert [s.encoding for s in server.take()] == ["identity", "identity"]


def test_server_serves_folder_indexes_and_nothing_outside_its_folder(site):
    with GzipServer(site) as server:
        status, _, body = fetch(server.url + "/en/search/")
        assert status == 200 and gzip.decompress(body).startswith(b"<p>search</p>")
        status, headers, _ = fetch(server.url + "/en/search")
        assert status == 200  # redirected to the folder
        assert fetch(server.url + "/../secret.txt")[0] == 404
        assert fetch(server.url + "/%2e%2e/secret.txt")[0] == 404
        assert server.url.startswith("http://127.0.0.1:")


def test_verdict_states_the_margin_both_ways():
    assert report.verdict(200, 250, "ms") == "**met**, 50 ms (20 %) under the limit"
    assert report.verdict(300, 250, "ms") == "**missed** by 50 ms (20 % over the limit)"


def entry(ours_s: float, hugo_s: float, pelican_s: float | None, peak: float) -> dict:
    def builder(seconds, mib=100.0):
        return {"ok": True, "note": "", "pages": 10, "seconds": [seconds], "median": seconds, "peak_mib": mib,
                "maxrss_mib": mib, "tree_pss_mib": mib, "output_bytes": 2 ** 20}
    builders = {"ours": builder(ours_s, peak), "hugo": builder(hugo_s)}
    builders["pelican"] = builder(pelican_s) if pelican_s else {"ok": False, "note": "not run: pelican is missing",
                                                                  "seconds": []}
    return {"date": "today", "total_seconds": 60, "corpus": {"reports": 10, "entities": 5, "words_ar": 1, "words_en": 1},
            "build": {"runs": 1, "ours": {}, "builders": builders}}


def test_results_give_each_target_its_verdict_and_say_what_was_not_measured():
    results = {"1000": entry(ours_s=6.0, hugo_s=3.0, pelican_s=20.0, peak=300)}
    results["1000"]["serve"] = {"status": "measured", "runs_ms": [240.0, 260.0, 280.0], "median_ms": 260.0,
                                "max_ms": 280.0, "rebuild_ms": [150.0], "median_rebuild_ms": 150.0}
    results["10000"] = entry(ours_s=60.0, hugo_s=30.0, pelican_s=None, peak=550)
    results["10000"]["search"] = {"status": "not measured: playwright is not importable in /tmp/x (exit 1)"}
    meta = {"machine": {"cpu": "c", "nproc": 2, "memory_gib": 1, "system": "s"}, "ours": {}, "peers": {}, "date": "d"}
    text = report.markdown(results, meta)
    targets = text.split("## Targets")[1].split("\n## ")[0]
    hugo_row = next(line for line in targets.splitlines() if "Hugo" in line)
    assert "**missed** by 1.50 s (33 % over the limit)" in hugo_row  # 6.0 s against 1.5 × 3.0 s
    pelican_row = next(line for line in targets.splitlines() if "Pelican" in line)
    assert "**met**, 2.00 s (25 %) under the limit" in pelican_row  # 6.0 s against 0.4 × 20.0 s
    memory_row = next(line for line in targets.splitlines() if "peak memory" in line)
    assert "550 MiB" in memory_row and "**met**, 50 MiB" in memory_row
    serve_row = next(line for line in targets.splitlines() if "save-to-reload" in line)
    assert "**missed** by 10 ms" in serve_row
    search_rows = [line for line in targets.splitlines() if "first query" in line]
    assert len(search_rows) == 2 and all("**not measured**" in line for line in search_rows)
    assert "playwright is not importable" in search_rows[1]
    assert "not run: pelican is missing" in text.split("## N = 10,000")[1]


def test_the_synthetic_corpus_builds(tmp_path):
    """bench/synth.py's project builds as it is (it copies the real config.yaml, templates and pages)."""
    import subprocess
    root = Path(__file__).resolve().parent.parent
    project = tmp_path / "edition"
    subprocess.run([sys.executable, str(root / "bench" / "synth.py"), "12", str(project)], check=True,
                   capture_output=True, timeout=300)
    built = subprocess.run([sys.executable, str(root / "build.py"), "--project", str(project), "--out", str(tmp_path / "site")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, [line for line in built.stderr.splitlines() if ": error: " in line][:5]
    assert (tmp_path / "site" / "en" / "search" / "index.html").is_file()

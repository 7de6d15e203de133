"""Faults: the embedded database killed and started again, acknowledged writes surviving SIGKILL, leftovers of a
killed ingest never served, HTTP hardening."""

from __future__ import annotations

import os
import signal
import time

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.connect import open_store
from dutygraph.graph.errors import StoreError
from dutygraph.graph.settings import Settings
from fastapi.testclient import TestClient

TOWN = {"id": "t1", "name": "丁蜀镇", "code": "1", "kind": "镇", "county": "宜兴市"}


def towns(store) -> list[str]:
    return sorted(r["n"] for r in store.run_cypher("MATCH (t:Township) RETURN t.name AS n"))


def wait_until(check, seconds: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            if check():
                return time.monotonic() - t0
        except StoreError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def test_acknowledged_write_survives_sigkill_of_the_database(settings):
    store = open_store(settings)
    try:
        store.write("lists.upsert_townships", [TOWN])  # answered: on disk (appendfsync always)
        os.kill(store.server.proc.pid, signal.SIGKILL)
        store.server.proc.wait()
        store.server.proc = None
        store.server.start()
        assert wait_until(lambda: towns(store) == ["丁蜀镇"], 10) < 10
    finally:
        store.close()


def test_data_dir_from_before_the_log_is_loaded_not_emptied(settings):
    """A data dir holding only dump.rdb (RDB-only releases) starts with its data and gets its log."""
    store = open_store(settings)
    store.write("lists.upsert_townships", [TOWN])
    store.db.connection.save()
    store.close()
    import shutil

    shutil.rmtree(settings.data_dir / "appendonlydir")
    store = open_store(settings)
    try:
        assert towns(store) == ["丁蜀镇"]
        assert (settings.data_dir / "appendonlydir").is_dir()
    finally:
        store.close()


def test_supervisor_restarts_a_killed_database_within_five_seconds(settings):
    store = open_store(settings)
    try:
        store.write("lists.upsert_townships", [TOWN])
        store.server.supervise(interval=0.2)
        os.kill(store.server.proc.pid, signal.SIGKILL)
        took = wait_until(lambda: towns(store) == ["丁蜀镇"], 10)
        assert took < 5
        wait_until(lambda: store.server.restarts == 1, 2)
    finally:
        store.close()


def test_api_answers_503_with_retry_after_then_recovers(settings):
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/health/ready").json()["status"] == "ready"
        # the start-up build of the item matcher is reported until it is done (an empty graph: at once)
        assert wait_until(lambda: c.get("/api/health/ready").json()["warming"] is False, 30) < 30
        server = c.app.state.store.server
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
        statuses = set()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 10:
            r = c.get("/api/townships")
            statuses.add(r.status_code)
            if r.status_code == 503:
                assert r.headers["retry-after"]
            if r.status_code == 200:
                break
            time.sleep(0.1)
        assert r.status_code == 200 and time.monotonic() - t0 < 5
        assert statuses <= {200, 503}
        assert c.get("/api/health/live").json() == {"status": "live"}
        assert c.get("/api/health/ready").json()["restarts"] >= 1


def test_security_headers_and_vendored_docs(settings):
    with TestClient(create_app(settings)) as c:
        for path in ("/", "/api/laws", "/static/graph.js"):
            h = c.get(path).headers
            assert "frame-ancestors 'none'" in h["content-security-policy"] and "script-src 'self'" in h[
                "content-security-policy"]
            assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"
        docs = c.get("/docs").text
        assert "/static/vendor/swagger-ui-bundle.js" in docs and "cdn" not in docs
        assert c.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize("bad", ["../../etc", "<script>alert(1)</script>镇", "a/b", "镇" * 41, "", "x\x00y"])
def test_township_names_that_are_not_names_are_refused(store, tmp_path, bad):
    from dutygraph.graph.errors import InputError
    from dutygraph.ingest.lists import ingest_list

    f = tmp_path / "基本.csv"
    f.write_text("序号,事项名称\n1,巡查\n", encoding="utf-8")
    with pytest.raises(InputError):
        ingest_list(store, [f], bad, "2025-06-30", extractor=None, index=None)  # type: ignore[arg-type]
    assert store.run_cypher("MATCH (n) WHERE NOT n:Generation RETURN count(n) AS n")[0]["n"] == 0


@pytest.mark.parametrize("bad", ["20250701", "2025-W27-2", "0001-01-01", "9999-12-31", "2025-02-30", "2025-7-1"])
def test_list_dates_are_iso_and_plausible(bad):
    from dutygraph.graph.errors import InputError
    from dutygraph.ingest.lists import check_date

    with pytest.raises(InputError):
        check_date(bad)
    assert check_date("2025-06-30") == "2025-06-30"


def test_formulas_in_exports_are_written_as_text():
    from dutygraph.api.export import table

    rows = [{"name": '=HYPERLINK("http://x","y")'}, {"name": "+1"}, {"name": "@SUM(A1)"}, {"name": "-2"},
            {"name": "巡查"}]
    cells = [r[0] for r in table(rows, {"name": "事项名称"})[1:]]
    assert cells == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'@SUM(A1)", "'-2", "巡查"]


def test_tokens_are_compared_in_constant_time():
    from dutygraph.api.auth import role_of

    tokens = {"alpha-token": "reader", "beta-token": "admin"}
    assert role_of(tokens, "beta-token") == "admin" and role_of(tokens, "beta-tokeN") is None
    assert role_of(tokens, "") is None


def test_backup_while_serving_and_restore_into_a_fresh_data_dir(settings, tmp_path):
    from dutygraph.graph.backup import backup, restore

    from tests.conftest import load
    from tests.test_lists import SAFETY, workbook

    store = open_store(settings)
    try:
        index, ex = load(store, SAFETY)
        from dutygraph.ingest.lists import ingest_list

        ingest_list(store, [workbook(tmp_path / "a.xlsx")], "周铁镇", "2025-06-30", extractor=ex, index=index)
        items = store.run_cypher("MATCH (i:DutyItem) RETURN i.id AS id, i.name AS name ORDER BY id")
        manifest = backup(store, settings.data_dir, tmp_path / "bk")
        store.write("lists.upsert_townships", [TOWN])  # after the snapshot: not in it
    finally:
        store.close()
    fresh = Settings(data_dir=tmp_path / "fresh", laws_dir=settings.laws_dir)
    assert restore(tmp_path / "bk", fresh.data_dir)["counts"] == manifest["counts"]
    store = open_store(fresh)
    try:
        counts = store.label_counts()
        assert counts == manifest["counts"] and counts["DutyItem"] == len(items) > 0
        assert store.run_cypher("MATCH (i:DutyItem) RETURN i.id AS id, i.name AS name ORDER BY id") == items
        assert "丁蜀镇" not in towns(store)
    finally:
        store.close()
    with pytest.raises(Exception, match="not a backup"):
        restore(tmp_path / "nothing", fresh.data_dir)


def test_a_killed_ingests_leftovers_are_never_served_and_are_removed(store, tmp_path):
    import datetime as dt

    from dutygraph.ingest.lists import ListLoader, ListReport, ingest_list, read_rows, remove_leftovers
    from dutygraph.services.duties import DutyService

    from tests.conftest import load
    from tests.test_lists import SAFETY, workbook

    index, ex = load(store, SAFETY)
    good = workbook(tmp_path / "a.xlsx")
    ingest_list(store, [good], "周铁镇", "2025-06-30", extractor=ex, index=index)
    # an ingest of another list killed after its writes and before its switch
    newer = workbook(tmp_path / "b.xlsx", extra_basic=[[9, "应急", "新增事项", "内容", "安监办", "", ""]])
    loader = ListLoader(store, ex, index)
    plan = loader.plan(read_rows([newer]), "周铁镇", "killed", "2025-07-01", ListReport("周铁镇", "2025-07-01"))
    loader.write(plan, "周铁镇", "killed", "2025-07-01", "b.xlsx")
    orphan = store.run_cypher("MATCH (:DutyList {id: 'killed'})-[:HAS_ITEM]->(i {name: '新增事项'}) "
                              "RETURN i.id AS id")[0]["id"]
    before = DutyService(store).township_items("周铁镇", None, 100, 0)["items"]
    with pytest.raises(Exception, match="not found"):
        DutyService(store).item(orphan)
    assert remove_leftovers(store) == 0  # too young: may be an ingest still running elsewhere
    assert remove_leftovers(store, older_than=dt.timedelta(0)) == 1
    assert store.run_cypher("MATCH (l:DutyList {id: 'killed'}) RETURN count(l) AS n")[0]["n"] == 0
    assert store.run_cypher("MATCH (i:DutyItem {id: $id}) RETURN count(i) AS n", {"id": orphan})[0]["n"] == 0
    # the items the killed version shared with the current one (unchanged rows) are the current list's: kept
    assert DutyService(store).township_items("周铁镇", None, 100, 0)["items"] == before
    assert store.run_cypher("MATCH (l:DutyList) RETURN count(l) AS n")[0]["n"] == 1

"""`--jobs N` (SPEC §17): media read in N processes print byte for byte what one process prints."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from conftest import Repo
from provenance_media import TRAINED, jpeg_bytes, mp4_bytes, png_bytes, png_info, xmp_packet

from genai_hooks import media_reads as inspection

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
CLEAN_PNG = png_bytes(png_info(("Software", "ARRI Reference Tool")))


class CountingPool(ProcessPoolExecutor):
    """The real pool, counting what it is given: did the run use processes at all?"""

    started = 0
    tasks = 0
    failed = 0  # tasks a worker failed (then the run reads their media itself)
    taken_back = 0  # tasks no worker had started when the run took them back to read them itself

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        CountingPool.started += 1
        super().__init__(*args, **kwargs)

    def submit(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        CountingPool.tasks += 1
        future = super().submit(*args, **kwargs)
        future.add_done_callback(CountingPool._count_failure)
        return future

    @staticmethod
    def _count_failure(future: Any) -> None:
        if future.cancelled():
            CountingPool.taken_back += 1
        elif future.exception() is not None:
            CountingPool.failed += 1


@pytest.fixture
def counting_pool(monkeypatch: pytest.MonkeyPatch) -> type[CountingPool]:
    CountingPool.started = CountingPool.tasks = CountingPool.failed = CountingPool.taken_back = 0
    monkeypatch.setattr(inspection, "ProcessPoolExecutor", CountingPool)
    return CountingPool


def many_media(repo: Repo) -> None:
    for n in range(40):
        repo.write(f"shots/sh{n:03d}/cleanup.png", png_bytes(png_info(("parameters", f"castle {n}\nSteps: 30"))))
        repo.write(f"shots/sh{n:03d}/plate.png", png_bytes(png_info(("Software", f"ARRI {n}"))))
    for n in range(10):
        repo.write(f"shots/sky{n}.jpg", jpeg_bytes(xmp=xmp_packet(TRAINED, creator_tool=f"Firefly {n}")))
        repo.write(f"shots/clip{n}.mp4", mp4_bytes(after=[bytes([n])]))
    repo.write("shots/large.png", CLEAN_PNG[:-12] + bytes(2 << 20) + CLEAN_PNG[-12:])  # a prefix read: GAI303
    repo.add()
    (repo.root / "shots" / "large.png").write_bytes(CLEAN_PNG)  # the working tree no longer holds the blob


@pytest.mark.slow
def test_jobs_2_prints_byte_for_byte_what_jobs_1_prints(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                        counting_pool: type[CountingPool]) -> None:
    many_media(repo)
    monkeypatch.setattr(inspection, "PARALLEL_MIN", 10)
    for output in ("json", "text", "sarif"):
        before = counting_pool.started
        one = repo.run("run", "--format", output, "--no-cache", "--jobs", "1")
        assert counting_pool.started == before  # one process: no pool
        two = repo.run("run", "--format", output, "--no-cache", "--jobs", "2")
        assert (two.code, two.out, two.err) == (one.code, one.out, one.err), output
    assert counting_pool.started == 3 and counting_pool.tasks >= 3 * 2 and counting_pool.failed == 0
    assert counting_pool.taken_back == 0  # a pool that breaks fails on a cancelled future before Python 3.12
    findings = repo.check("--jobs", "2").json["findings"]
    assert sum(1 for f in findings if f["rule"] == "GAI301") == 50
    assert [f["path"] for f in findings if f["rule"] == "GAI303"] == ["shots/large.png"]


def test_a_small_commit_starts_no_processes(repo: Repo, counting_pool: type[CountingPool]) -> None:
    repo.write("a.png", SD_PNG)
    repo.write("b.png", CLEAN_PNG)
    repo.write("c.jpg", jpeg_bytes(xmp=xmp_packet(TRAINED)))
    repo.add()
    done = repo.check("--jobs", "8", "--", "a.png", "b.png", "c.jpg")
    assert done.code == 1 and counting_pool.started == 0


@pytest.mark.slow
def test_workers_that_cannot_start_leave_the_reading_to_the_run(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                                 counting_pool: type[CountingPool]) -> None:
    many_media(repo)
    expected = repo.check("--no-cache", "--jobs", "1")
    monkeypatch.setattr(inspection, "PARALLEL_MIN", 10)
    monkeypatch.setattr(inspection, "_start_worker", _refuse)
    done = repo.check("--no-cache", "--jobs", "2")
    assert counting_pool.started == 1 and counting_pool.failed >= 1
    assert (done.code, done.out, done.err) == (expected.code, expected.out, expected.err)


def _refuse(toplevel: str) -> None:
    raise OSError(f"no worker for {toplevel}")


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_below_one_or_not_a_number_is_a_one_line_usage_error(repo: Repo, jobs: str) -> None:
    repo.write("a.png", SD_PNG)
    repo.add()
    done = repo.run("run", "--jobs", jobs)
    assert done.code == 2 and done.out == ""
    assert done.err.count("\n") == 1 and "--jobs" in done.err and "Traceback" not in done.err


def test_more_jobs_than_cpus_are_as_many_as_the_cpus(repo: Repo) -> None:
    repo.write("a.png", SD_PNG)
    repo.add()
    assert repo.check("--jobs", "10000").out == repo.check("--jobs", "1").out


def test_chunks_read_a_chunk_ahead_print_what_one_process_prints(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                                 counting_pool: type[CountingPool]) -> None:
    """An audit in many chunks: the workers read the next chunk while this process judges one, and the share this
    process reads moves from chunk to chunk; what is found, and in which order it is said, never does."""
    from genai_hooks import detect

    many_media(repo)
    expected = repo.check("--no-cache", "--jobs", "1")
    monkeypatch.setattr(inspection, "PARALLEL_MIN", 4)
    monkeypatch.setattr(detect, "_CHUNK", 7)
    for jobs in ("2", "3"):
        done = repo.check("--no-cache", "--jobs", jobs)
        assert (done.code, done.out, done.err) == (expected.code, expected.out, expected.err), jobs
    assert counting_pool.started == 2 and counting_pool.tasks >= 2 * 10 and counting_pool.failed == 0

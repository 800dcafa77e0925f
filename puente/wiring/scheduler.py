"""Timed work, done once per scheduled run whatever the number of replicas and restarts.

A `Job` names its runs: `run_key(now)` is the key of the latest run due at `now` (a date for a daily job, an ISO
week for a weekly one), or None before the first. A replica that finds a run not done yet does it in one
transaction that also records the run (`scheduled_runs`, keyed by job and run): two replicas may both start it,
but only one commits, and a crash mid-run leaves no record, so the next pass does it again. A service that was
down at the scheduled moment does the latest missed run when it comes back (once, not once per missed slot).
Time comes from the runtime's clock, so a test sets it and wakes the scheduler instead of waiting.

Today it runs phases' daily overdue scan; reminder rounds and the weekly digest are jobs of the same kind. The
notifier's delivery retries are not: each notification is claimed on its own (see `services.notifier.delivery`),
so replicas share the sending rather than one of them doing it all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from puente.wiring.clock import Clock
from puente.wiring.logging import get_logger
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.storage import AlreadyStored, Stored
from puente.wiring.transaction import AlreadyHandled, Transaction, UnitOfWork

log = get_logger(__name__)
SCHEDULER_LOOP = "scheduler"


class ScheduledRun(BaseModel):
    """A run that was done: its job, its key, when, and how much it did."""

    model_config = ConfigDict(frozen=True)

    id: str
    job: str
    run_key: str
    ran_at: datetime
    done: int


SCHEDULED_RUNS = Stored("scheduled_runs", ScheduledRun, indexed_by=[("job", "ran_at")])

RunKey = Callable[[datetime], str | None]
# A job's work: the transaction, the run's key and the moment it runs; returns how many things it did.
Work = Callable[[Transaction, str, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    name: str
    run_key: RunKey
    work: Work


def daily_at(at: time, timezone: str) -> RunKey:
    """Runs every day at `at` in `timezone`; the key is that local date."""
    zone = ZoneInfo(timezone)

    def run_key(now: datetime) -> str:
        local = now.astimezone(zone)
        day = local.date() if local.time() >= at else local.date() - timedelta(days=1)
        return day.isoformat()

    return run_key


def weekly_at(weekday: int, at: time, timezone: str) -> RunKey:
    """Runs every week on `weekday` (0 is Monday) at `at` in `timezone`; the key is that day's ISO week."""
    zone = ZoneInfo(timezone)

    def run_key(now: datetime) -> str:
        local = now.astimezone(zone)
        day: date = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
        if day == local.date() and local.time() < at:
            day -= timedelta(days=7)
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"

    return run_key


class Scheduler:
    def __init__(
        self,
        jobs: Sequence[Job],
        unit_of_work: UnitOfWork,
        clock: Clock,
        metrics: ServiceMetrics | None = None,
        poll_seconds: float = 30.0,
    ) -> None:
        self.jobs = list(jobs)
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.metrics = metrics
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for due runs now (for example, after a test moved the clock)."""
        self._wake.set()

    async def run_due(self) -> list[str]:
        """One pass: do every job's latest run that is due and not done yet. Returns the runs this replica did."""
        done = []
        for job in self.jobs:
            now = self.clock()
            key = job.run_key(now)
            if key is not None and await self._run_once(job, key, now):
                done.append(f"{job.name}:{key}")
        return done

    async def _run_once(self, job: Job, key: str, now: datetime) -> bool:
        run_id = f"{job.name}:{key}"

        class RecordedMeanwhile(Exception):
            """Another replica recorded the same run first; this one's work is abandoned."""

        async def work(transaction: Transaction) -> int:
            runs = transaction.collection(SCHEDULED_RUNS)
            if await runs.get(run_id) is not None:
                raise AlreadyHandled(run_id)
            count = await job.work(transaction, key, now)
            try:
                await runs.add(ScheduledRun(id=run_id, job=job.name, run_key=key, ran_at=now, done=count))
            except AlreadyStored as recorded:  # only this: a job's own AlreadyStored is a bug, and must show
                raise RecordedMeanwhile(run_id) from recorded
            return count

        try:
            count = await self.unit_of_work.run(work)
        except RecordedMeanwhile:
            return False
        if count is None:
            return False
        log.info("scheduled run done", job=job.name, run_key=key, done=count)
        return True

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                if self.metrics:
                    self.metrics.loops.failed(SCHEDULER_LOOP)
                log.exception("scheduler pass failed; will retry")
            else:
                if self.metrics:
                    self.metrics.loops.succeeded(SCHEDULER_LOOP)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass

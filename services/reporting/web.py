"""Reporting's web pages: the coordinators' dashboard (`/panel`), its sign-in by a one-time link from the bot, its
exports and archive of digests, and the PDF download the notifier uses (`/reports/download`).

Without a valid session the dashboard shows only how to sign in. A link works once, for 10 minutes, and only for a
person who still coordinates, and only from the button of the page the link shows (so a link preview cannot use it
up); it opens a session kept by an HttpOnly, SameSite=Strict cookie that expires. Pages are rendered on the server,
with the charts as SVG images; nothing runs in the browser."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from html import escape
from urllib.parse import parse_qs, urlencode

from pydantic import BaseModel, ConfigDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from puente.contracts.common import Line
from puente.dashboard_links import SIGN_IN_PATH, read_sign_in
from puente.i18n import language_or_default, translate
from puente.wiring.city import CityConfig, Period
from puente.wiring.clock import Clock
from puente.wiring.logging import get_logger
from puente.wiring.settings import Settings
from puente.wiring.storage import Stored
from puente.wiring.transaction import UnitOfWork
from services.reporting import exports
from services.reporting.charts import bullet_chart, pipeline_chart
from services.reporting.digests import READERS, REPORTS
from services.reporting.handlers import read_facts
from services.reporting.report import MAX_LISTED, build_report, local_day, status_line
from services.reporting.texts import (
    aprende_rows,
    bullets,
    due_line,
    ensena_rows,
    entity_name,
    overdue_by_entity,
    pipeline_rows,
    request_line,
    surveys_line,
    waiting_line,
)

log = get_logger(__name__)

COOKIE = "puente_panel"
SESSION_HOURS = 8
DASHBOARD_PATHS = ["/panel", SIGN_IN_PATH, "/panel/signout", "/panel/export", "/panel/report", "/reports/download"]
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'",
    "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


class Session(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str  # the sha256 of the cookie's value: the value itself is never stored
    person_id: str
    language: str
    expires_at: datetime


class UsedSignIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str  # the link's nonce
    used_at: datetime


SESSIONS = Stored("dashboard_sessions", Session)
USED_SIGN_INS = Stored("dashboard_sign_ins", UsedSignIn)


async def clear_expired(transaction, run_key: str, now: datetime) -> int:
    """The daily clean-up: sessions past their end, and used sign-in links older than a day (a link lives 10
    minutes, so by then it could not sign in anyway). Returns how many records went."""
    cleared = 0
    sessions = transaction.collection(SESSIONS)
    for session in await sessions.find():
        if session.expires_at <= now:
            await sessions.delete(session.id)
            cleared += 1
    used = transaction.collection(USED_SIGN_INS)
    for sign_in in await used.find():
        if sign_in.used_at <= now - timedelta(days=1):
            await used.delete(sign_in.id)
            cleared += 1
    return cleared


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def bullet_list(lines) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def _page(title: str, body: str, language: str, status: int = 200) -> HTMLResponse:
    html = f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;margin:.5rem 0}}
td,th{{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}}
td.n{{text-align:right}}img{{max-width:100%}}nav a{{margin-right:.8rem}}.status{{font-weight:bold}}</style>
</head><body>{body}</body></html>"""
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


class Dashboard:
    def __init__(self, settings: Settings, city: CityConfig, unit_of_work: UnitOfWork, clock: Clock) -> None:
        self.settings = settings
        self.city = city
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.key = settings.dashboard_key.get_secret_value().encode()
        self.secure_cookie = settings.dashboard_url.startswith("https://")

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/panel", self.panel), Route(SIGN_IN_PATH, self.sign_in, methods=["GET", "POST"]),
            Route("/panel/signout", self.sign_out),
            Route("/panel/export", self.export), Route("/panel/report", self.archived_report),
            Route("/reports/download", self.download),
        ])

    # --- sessions -----------------------------------------------------------------------------------------

    async def session_of(self, request: Request) -> Session | None:
        cookie = request.cookies.get(COOKIE)
        if not cookie or len(cookie) > 100:
            return None
        now = self.clock()

        async def work(transaction):
            session = await transaction.collection(SESSIONS).get(_digest(cookie))
            if session is None or session.expires_at <= now:
                return None
            reader = await transaction.collection(READERS).get(session.person_id)
            return session if reader is not None and reader.coordinates else None

        return await self.unit_of_work.run(work)

    def language(self, request: Request, session: Session | None) -> str:
        asked = request.query_params.get("lang")
        return language_or_default(asked or (session.language if session else None))

    def explain_sign_in(self, language: str, message_id: str = "panel-sign-in-how", status: int = 200) -> Response:
        body = (f"<h1>{escape(translate('panel-title', language))}</h1>"
                f"<p id='sign-in'>{escape(translate(message_id, language))}</p>")
        return _page(translate("panel-title", language), body, language, status)

    async def usable(self, sign_in) -> str:
        """Whether a valid link may still open a session: "usable", "used" or "not_coordinating"."""
        async def work(transaction):
            reader = await transaction.collection(READERS).get(str(sign_in.person_id))
            if reader is None or not reader.coordinates:
                return "not_coordinating"
            return "used" if await transaction.collection(USED_SIGN_INS).get(sign_in.nonce) else "usable"

        return await self.unit_of_work.run(work)

    async def sign_in(self, request: Request) -> Response:
        """GET shows a button that signs in (the link itself changes nothing, so a chat app's link preview cannot
        use it up); POST, from that button, uses the link and opens the session."""
        now = self.clock()
        if request.method == "POST":
            body = await request.body()
            token = parse_qs(body[:2048].decode(errors="replace")).get("token", [""])[0]
        else:
            token = request.query_params.get("token", "")
        sign_in = read_sign_in(self.key, token, now)
        language = language_or_default(sign_in.language if sign_in else request.query_params.get("lang"))
        if sign_in is None:
            log.info("dashboard sign-in refused", reason="invalid_or_expired")
            return self.explain_sign_in(language, "panel-link-refused", 403)
        if request.method != "POST":
            outcome = await self.usable(sign_in)
            if outcome != "usable":
                log.info("dashboard sign-in refused", reason=outcome, person_id=str(sign_in.person_id))
                return self.explain_sign_in(language, "panel-link-refused", 403)
            body = (f"<h1>{escape(translate('panel-title', language))}</h1>"
                    f"<p>{escape(translate('panel-sign-in-confirm', language))}</p>"
                    f"<form method='post' action='{SIGN_IN_PATH}'><input type='hidden' name='token' "
                    f"value='{escape(token)}'><button id='enter' type='submit'>"
                    f"{escape(translate('panel-sign-in-button', language))}</button></form>")
            return _page(translate("panel-title", language), body, language)
        cookie = secrets.token_urlsafe(32)

        async def work(transaction):
            reader = await transaction.collection(READERS).get(str(sign_in.person_id))
            if reader is None or not reader.coordinates:
                return "not_coordinating"
            used = transaction.collection(USED_SIGN_INS)
            if await used.get(sign_in.nonce) is not None:
                return "used"
            # Two uses at once: both add, one commit fails on the unique id, its retry finds the link used.
            await used.add(UsedSignIn(id=sign_in.nonce, used_at=now))
            await transaction.collection(SESSIONS).add(Session(
                id=_digest(cookie), person_id=str(sign_in.person_id), language=reader.language,
                expires_at=now + timedelta(hours=SESSION_HOURS)))
            return "signed_in"

        outcome = await self.unit_of_work.run(work)
        log.info("dashboard sign-in", outcome=outcome, person_id=str(sign_in.person_id))
        if outcome != "signed_in":
            return self.explain_sign_in(language, "panel-link-refused", 403)
        response = RedirectResponse("/panel", status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(COOKIE, cookie, max_age=SESSION_HOURS * 3600, path="/", httponly=True,
                            samesite="strict", secure=self.secure_cookie)
        return response

    async def sign_out(self, request: Request) -> Response:
        cookie = request.cookies.get(COOKIE)
        if cookie and len(cookie) <= 100:
            await self.unit_of_work.run(lambda transaction: transaction.collection(SESSIONS).delete(_digest(cookie)))
        response = RedirectResponse("/panel", status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=self.secure_cookie)
        return response

    # --- pages ------------------------------------------------------------------------------------------

    def period_of(self, request: Request) -> Period | None:
        key = request.query_params.get("period")
        if key is None:
            return self.city.reporting.period_on(local_day(self.city, self.clock()))
        return self.city.reporting.period(key)

    async def panel(self, request: Request) -> Response:
        session = await self.session_of(request)
        language = self.language(request, session)
        if session is None:
            return self.explain_sign_in(language)
        period = self.period_of(request)
        if period is None:
            return self.explain_sign_in(language, "panel-unknown-period", 404)
        now = self.clock()

        async def work(transaction):
            report = await build_report(transaction, self.city, now, period)
            digests = await transaction.collection(REPORTS).find(city=self.city.city.slug, kind="digest")
            return report, digests

        report, digests = await self.unit_of_work.run(work)
        body = await asyncio.to_thread(self.render, report, digests, period, language)  # the charts take a while
        return _page(translate("panel-title", language), body, language)

    def render(self, report, digests, period: Period, language: str) -> str:
        city, indicators = self.city, report.indicators

        def link(path: str, **query) -> str:
            return escape(f"{path}?{urlencode({**query, 'lang': language})}")

        def svg(chart: bytes, alt: str) -> str:
            return f"<img alt='{escape(alt)}' src='data:image/svg+xml;base64,{base64.b64encode(chart).decode()}'>"

        def figures(rows: list[tuple[str, object]]) -> str:
            return "<table>" + "".join(f"<tr><td>{escape(label)}</td><td class='n'>{escape(str(value))}</td></tr>"
                                       for label, value in rows) + "</table>"

        other_language = "/panel?" + urlencode({"period": period.key, "lang": "en" if language == "es" else "es"})
        parts = [
            f"<nav><a id='other-language' href='{escape(other_language)}'>"
            f"{escape(translate('panel-other-language', language))}</a>"
            f"<a href='/panel/signout'>{escape(translate('panel-sign-out', language))}</a></nav>",
            f"<h1>{escape(translate('panel-title', language))}</h1>",
            f"<p>{escape(city.city.office.in_language(language))} · {escape(period.name.in_language(language))} · "
            f"{escape(translate('panel-as-of', language, day=indicators.as_of.isoformat()))}</p>",
            "<p>" + " ".join(f"<a href='{link('/panel', period=other_period.key)}'>"
                             f"{escape(other_period.name.in_language(language))}</a>"
                             for other_period in city.reporting.periods) + "</p>",
            f"<p class='status' id='status'>{escape(status_line(report, language))}</p>",
            f"<h2>{escape(translate('report-targets', language))}</h2>",
            svg(bullet_chart(bullets(indicators, language), form="svg"), translate("report-targets", language)),
        ]
        parts += [
            f"<h2>{escape(city.lines[Line.aprende].name.in_language(language))}</h2>",
            figures(aprende_rows(indicators, language)),
            f"<h2>{escape(city.lines[Line.ensena].name.in_language(language))}</h2>",
            figures(ensena_rows(indicators, language)),
            f"<h2>{escape(translate('report-pipeline', language))}</h2>",
            svg(pipeline_chart(pipeline_rows(indicators, city, language), form="svg"),
                translate("report-pipeline", language)),
        ]
        parts.append(f"<h2>{escape(translate('report-overdue', language, count=len(indicators.overdue)))}</h2>")
        for entity_id, dues in overdue_by_entity(indicators).items():
            parts.append(f"<h3>{escape(entity_name(city, entity_id))}</h3>"
                         + bullet_list(due_line(due, city, language) for due in dues))
        deadlines = translate("report-deadlines", language, days=city.reporting.deadline_days,
                              count=len(indicators.deadlines))
        parts.append(f"<h2>{escape(deadlines)}</h2>" + bullet_list(
            f"{entity_name(city, due.entity_id)}: {due_line(due, city, language)}"
            for due in indicators.deadlines[:MAX_LISTED]))
        requests = translate("report-requests", language, open=indicators.requests_open,
                             unassigned=indicators.requests_unassigned)
        parts.append(f"<h2 id='requests'>{escape(requests)}</h2>" + bullet_list(
            request_line(request, language) for request in indicators.open_requests[:MAX_LISTED]))
        waiting = translate("report-waiting", language, count=len(indicators.waiting))
        parts.append(f"<h2>{escape(waiting)}</h2>" + bullet_list(
            waiting_line(waiting, city, language) for waiting in indicators.waiting[:MAX_LISTED]))
        parts.append(f"<h2>{escape(translate('report-surveys', language))}</h2>"
                     f"<p>{escape(surveys_line(indicators.surveys, language))}</p>")
        parts.append(f"<h2>{escape(translate('panel-exports', language))}</h2><table id='exports'>")
        for table in exports.Table:
            parts.append(f"<tr><td>{escape(translate(f'panel-table-{table.value}', language))}</td>" + "".join(
                f"<td><a href='{link('/panel/export', table=table.value, form=form.value, period=period.key)}'>"
                f"{form.value.upper()}</a></td>" for form in exports.Form) + "</tr>")
        parts.append("</table>")
        archive = sorted(digests, key=lambda digest: digest.made_at, reverse=True)[:52]
        parts.append(f"<h2>{escape(translate('panel-archive', language))}</h2><ul id='archive'>" + "".join(
            f"<li><a href='{link('/panel/report', id=digest.id)}'>{escape(digest.title)}</a></li>"
            for digest in archive) + "</ul>")
        if not archive:
            parts.append(f"<p>{escape(translate('panel-archive-empty', language))}</p>")
        return "\n".join(parts)

    async def export(self, request: Request) -> Response:
        session = await self.session_of(request)
        language = self.language(request, session)
        if session is None:
            return self.explain_sign_in(language, status=401)
        try:
            table = exports.Table(request.query_params.get("table", ""))
            form = exports.Form(request.query_params.get("form", ""))
        except ValueError:
            return self.explain_sign_in(language, "panel-bad-export", 400)
        period = self.period_of(request)
        if period is None:
            return self.explain_sign_in(language, "panel-unknown-period", 404)
        items, catalogue = await self.unit_of_work.run(lambda transaction: read_facts(transaction,
                                                                                      self.city.city.slug))
        today = local_day(self.city, self.clock())

        def written() -> bytes:  # a large program's export takes a while: in a worker thread
            return exports.write(table, form, exports.table_rows(table, items, catalogue, self.city, period, today))

        content = await asyncio.to_thread(written)
        name = exports.file_name(self.city, table, period, form)
        log.info("dashboard export", person_id=session.person_id, table=table.value, form=form.value)
        return Response(content, media_type=exports.MEDIA_TYPES[form],
                        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    async def archived_report(self, request: Request) -> Response:
        session = await self.session_of(request)
        language = self.language(request, session)
        if session is None:
            return self.explain_sign_in(language, status=401)
        report_id = request.query_params.get("id", "")[:64]
        stored = await self.unit_of_work.run(lambda transaction: transaction.collection(REPORTS).get(report_id))
        if stored is None or stored.city != self.city.city.slug:
            return self.explain_sign_in(language, "panel-no-such-report", 404)
        return self.pdf(stored)

    async def download(self, request: Request) -> Response:
        """The notifier fetches a report's PDF with the key its event carried."""
        report_id = request.query_params.get("id", "")[:64]
        key = request.query_params.get("key", "")
        stored = await self.unit_of_work.run(lambda transaction: transaction.collection(REPORTS).get(report_id))
        if stored is None or not hmac.compare_digest(stored.download_key.encode(), key.encode()):
            return Response(b"not found", status_code=404, headers=SECURITY_HEADERS)
        return self.pdf(stored)

    @staticmethod
    def pdf(stored) -> Response:
        return Response(stored.pdf, media_type="application/pdf",
                        headers={**SECURITY_HEADERS, "Content-Disposition": f'inline; filename="{stored.file_name}"'})

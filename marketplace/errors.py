"""One place that maps failures to HTTP answers: a helpful page for people, JSON for the API, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from catalog.errors import DomainError, Invalid
from marketplace.templating import pick

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("请求有误", "The request could not be understood."),
    403: ("没有权限", "You may not do this."),
    404: ("页面不存在", "There is nothing here."),
    405: ("不支持该操作", "This action is not supported here."),
    409: ("状态冲突", "This clashes with the current state."),
    413: ("内容过大", "What you sent is too large."),
    422: ("输入有误", "Some input is not valid."),
    429: ("请求过于频繁", "Too many requests; please wait a moment."),
    500: ("服务器出错了", "Something went wrong on our side."),
    503: ("服务暂时不可用", "The service is briefly unavailable; please try again in a moment."),
}
# How long a client is asked to wait when the database cannot be reached: a restart or a failover takes seconds,
# and the pool reconnects on the next request by itself (pool_pre_ping).
RETRY_AFTER_S = 5


def wants_json() -> bool:
    """API callers get JSON errors; browsers get pages."""
    return request.path.startswith("/api/")


def render_error(status: int, detail: str = "", fields: dict[str, str] | None = None):
    """An error answer in the caller's format."""
    zh, en = MESSAGES.get(status, MESSAGES[400])
    if wants_json():
        body = {
            "error": {"status": status, "message": f"{zh} / {en}", "detail": detail, "fields": fields or {}}
        }
        return jsonify(body), status
    return render_template("errors/error.html", status=status, title=pick((zh, en)), detail=detail), status


def refuse_nul_characters():
    """Refuse input holding a NUL character before any view sees it.

    No person types one, and PostgreSQL cannot store or even compare one: each such value was a 500.
    """
    values = [request.path, *request.args.keys(), *(v for _k, vs in request.args.lists() for v in vs)]
    if request.method == "POST":
        values += [*request.form.keys(), *(v for _k, vs in request.form.lists() for v in vs)]
    if any("\x00" in value for value in values):
        return render_error(400, "输入中含有无效的空字符（NUL）/ The input contains a NUL character.")
    return None


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.before_request(refuse_nul_characters)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        fields = error.errors if isinstance(error, Invalid) else None
        return render_error(error.status, str(error) if error.status != 404 else "", fields)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            "表单已过期或来源无效，请刷新页面后重试 / The form expired or came from elsewhere; "
            "reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unreachable(error: Exception):
        # The database went away (restarted, failed over, dropped the connection) or refused the statement for a
        # passing reason (a lock, a deadlock): nothing the visitor did, and nothing was saved, so say "try again",
        # not "something broke". One line in the log, with the driver's own message.
        log.warning(
            "database unavailable on %s %s: %s", request.method, request.path, error.__cause__ or error
        )
        # The page's navigation asks who is signed in, which needs the database: show it as to a visitor (the
        # account is read again on the next request). flask-login keeps the request's user in g._login_user.
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
        response = make_response(render_error(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)

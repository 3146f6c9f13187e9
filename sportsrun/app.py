"""The Litestar application: routes, templates, limits, errors and the database lifespan. Wiring only."""

import asyncio
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.openapi import OpenAPIConfig

from sportsrun.accounts.api import AuthApi, UsersApi
from sportsrun.accounts.pages import AccountPages, UserPages
from sportsrun.accounts.sessions import session_config
from sportsrun.campaigns.api import CampaignsApi
from sportsrun.campaigns.feed import CampaignFeed
from sportsrun.campaigns.organiser_pages import OrganiserCampaignPages
from sportsrun.campaigns.pages import CampaignPages
from sportsrun.core.db import connections
from sportsrun.core.spreadsheets import export_pool
from sportsrun.core.web.access_log import access_log_middleware
from sportsrun.core.web.compression import compression_middleware
from sportsrun.core.web.handlers import EXCEPTION_HANDLERS
from sportsrun.core.web.head import head_middleware
from sportsrun.core.web.health import healthz, readyz
from sportsrun.core.web.hot_cache import hot_cache_middleware
from sportsrun.core.web.locale import locale_middleware
from sportsrun.core.web.openapi import render_plugins
from sportsrun.core.web.params import FORM_BODY_LIMIT, MULTIPART_OVERHEAD
from sportsrun.core.web.security_headers import security_headers_middleware
from sportsrun.core.web.static import static_file
from sportsrun.core.web.templating import template_config
from sportsrun.events.api import EventsApi, ReferenceApi
from sportsrun.events.organiser_pages import OrganiserEventPages
from sportsrun.events.pages import EventPages
from sportsrun.football.api import DivisionsApi, MatchesApi, TeamsApi
from sportsrun.football.organiser_pages import OrganiserDivisionPages
from sportsrun.football.pages import FootballPages
from sportsrun.football.registration_pages import TeamRegistrationPages
from sportsrun.football.volunteer_pages import VolunteerScorePages
from sportsrun.messages import sender as message_sender
from sportsrun.messages.pages import OutboxPages
from sportsrun.registration.api import EntrantImportApi, RegistrationsApi
from sportsrun.registration.checkin_api import BibsApi, CheckInsApi
from sportsrun.registration.checkin_pages import CheckInPages
from sportsrun.registration.checkin_qr_page import CheckInQrImage
from sportsrun.registration.flag_pages import FlagPages
from sportsrun.registration.group_api import GroupRegistrationsApi
from sportsrun.registration.group_pages import GroupRegistrationPages
from sportsrun.registration.organiser_pages import EntrantImportPages, OrganiserRegistrationPages
from sportsrun.registration.pages import RegistrationPages
from sportsrun.registration.print_pages import PrintPages
from sportsrun.registration.selfservice_pages import SelfServicePages
from sportsrun.results.api import ResultsApi
from sportsrun.results.pages import ResultsPages
from sportsrun.results.times import format_time
from sportsrun.settings import get_settings
from sportsrun.timing.api import ResultsImportApi, ResultsUploadApi
from sportsrun.timing.pages import ResultsAdminPages, ResultsUploadPages, SheetUploadPages

# The handlers that take a file: the only ones allowed bodies of SPORTSRUN_MAX_UPLOAD_MB.
UPLOADS = [EntrantImportApi, ResultsUploadApi, EntrantImportPages, SheetUploadPages]


def create_app() -> Litestar:
    settings = get_settings()

    @asynccontextmanager
    async def database(_app: Litestar):
        await connections.start(settings)
        try:
            yield
        finally:
            await connections.stop()

    @asynccontextmanager
    async def export_children(_app: Litestar):
        # The child that builds export files (started on the first export) stops with the worker.
        try:
            yield
        finally:
            await asyncio.to_thread(export_pool.shutdown)

    app = Litestar(
        route_handlers=[
            healthz,
            readyz,
            AuthApi,
            UsersApi,
            ReferenceApi,
            EventsApi,
            RegistrationsApi,
            GroupRegistrationsApi,
            BibsApi,
            CheckInsApi,
            ResultsImportApi,
            ResultsApi,
            DivisionsApi,
            MatchesApi,
            TeamsApi,
            CampaignsApi,
            CampaignFeed,
            OrganiserCampaignPages,
            CampaignPages,
            FootballPages,
            OrganiserDivisionPages,
            VolunteerScorePages,
            TeamRegistrationPages,
            EventPages,
            RegistrationPages,
            GroupRegistrationPages,
            AccountPages,
            UserPages,
            OutboxPages,
            SelfServicePages,
            OrganiserEventPages,
            OrganiserRegistrationPages,
            PrintPages,
            FlagPages,
            CheckInQrImage,
            CheckInPages,
            ResultsUploadPages,
            ResultsPages,
            ResultsAdminPages,
            static_file,
            # The upload limit as configured when the app starts, not when the modules were imported.
            Router("/", route_handlers=UPLOADS, request_max_body_size=settings.max_upload_bytes + MULTIPART_OVERHEAD),
        ],
        # The message sender runs in every worker once the database is up (messages/sender.py).
        lifespan=[database, export_children, message_sender.running],
        middleware=[
            head_middleware,
            security_headers_middleware,
            locale_middleware,
            session_config(settings).middleware,
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="csrftoken",
            cookie_secure=settings.secure_cookies,
            cookie_httponly=False,
            header_name="x-csrftoken",
            # The API authenticates with bearer tokens only, never cookies, so forged requests carry
            # no credentials; CSRF protects the cookie-authenticated pages.
            exclude=["/api/", "/schema"],
        ),
        template_config=template_config(filters={"clock": format_time}),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="sportsrun API",
            version="1.0.0",
            path="/schema",
            render_plugins=render_plugins(),
        ),
        request_max_body_size=FORM_BODY_LIMIT,
        debug=False,
    )
    # Around the router (app middleware runs after routing, which answers HEAD with 405); compression
    # around the error handlers too, so that every answer goes through it.
    # Shared pages sent again for a second (hot_cache) ahead of all of it, inside the access log.
    app.asgi_handler = access_log_middleware(
        hot_cache_middleware(head_middleware(compression_middleware(app.asgi_handler)))
    )
    return app

"""Extension singletons, bound to the app in create_app."""

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .database import Base
from .ratelimit import DatabaseStorage  # noqa: F401 - registers the database:// storage

db = SQLAlchemy(model_class=Base)

# Models subclass Model: at run time Flask-SQLAlchemy's db.Model (built from Base, with its
# session and table-name conventions); for the type checker, Base, the class it derives from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

MIGRATIONS = Path(__file__).parent / "migrations"


def init_migrate(app: Flask) -> None:
    """Flask-Migrate for app: the `flask db` commands and upgrade() over the migrations folder.

    Called by those commands (and tests that migrate), never by create_app: Flask-Migrate pulls in
    Alembic, Mako and Pygments, about 12 MiB that a web worker would carry for nothing.
    """
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True).init_app(app, db, directory=str(MIGRATIONS))

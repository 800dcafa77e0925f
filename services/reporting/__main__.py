from puente.wiring.service import run_service
from services.reporting.app import build_app

run_service("reporting", build_app)

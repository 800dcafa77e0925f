from puente.wiring.service import run_service
from services.intake.app import build_app

run_service("intake", build_app)

from puente.wiring.service import run_service
from services.phases.app import build_app

run_service("phases", build_app)

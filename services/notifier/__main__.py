from puente.wiring.service import run_service
from services.notifier.app import build_app

run_service("notifier", build_app)

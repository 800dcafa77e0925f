"""Intake: proposals and updates of exchanges (Aprende) and practices (Enseña)."""

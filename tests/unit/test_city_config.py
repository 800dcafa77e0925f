"""A city other than Bogotá adopts Puente by configuration alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from puente.contracts.common import Line
from puente.wiring.city import CityConfigError, load_city_config
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR, Settings


def test_bogota_has_six_aprende_phases_three_ensena_phases_and_the_seed_targets():
    city = load_city_config(Settings())
    assert len(city.phases_of(Line.aprende)) == 6
    assert len(city.phases_of(Line.ensena)) == 3
    assert city.targets.practices_identified_and_shared == 20
    assert city.targets.learning_and_teaching_opportunities == 48
    assert len(city.sectors) == 15
    assert city.entities["sed"].sector == "education"


def test_another_city_is_adopted_by_writing_its_file(tmp_path: Path):
    text = (DEFAULT_CITY_CONFIG_DIR / "bogota.toml").read_text(encoding="utf-8")
    text = text.replace('slug = "bogota"', 'slug = "medellin"').replace('name = "Bogotá"', 'name = "Medellín"')
    text = text.replace("duration_days = 30\n", "duration_days = 21\n", 1)
    (tmp_path / "medellin.toml").write_text(text, encoding="utf-8")
    city = load_city_config(Settings(city="medellin", city_config_dir=tmp_path))
    assert city.city.name == "Medellín"
    assert city.phases_of(Line.aprende)[0].duration_days == 21


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace('sector = "education"', 'sector = "astronomy"', 1), "unknown sector 'astronomy'"),
        (lambda text: text.replace('key = "matching"', 'key = "demand"'), "phase keys repeat"),
        (lambda text: text.replace("[targets]", "[targets"), "not valid TOML"),
        (lambda text: text.replace('slug = "bogota"', 'slug = "cali"'), "describes city 'cali'"),
        (lambda text: text.replace("\nsed = {", "\n" + "s" * 33 + " = {", 1), "entity codes longer than 32"),
        (lambda text: text.replace("[entities]\n", "[entities]\n" + "".join(
            f'e{number} = {{ name = "E{number}", sector = "education" }}\n' for number in range(80)), 1),
         "98 entities; at most 96"),
        (lambda text: text.replace('evaluation_phase = "evaluation"', 'evaluation_phase = "promotion"'),
         "the evaluation phase must come before the systematization phase"),
        (lambda text: text.replace('systematization_phase = "systematization"', 'systematization_phase = "sign"'),
         "ensena names phase 'sign', which the Enseña line does not have"),
        (lambda text: text.replace("scale_max = 5", "scale_max = 1"), "the scale must go up"),
        (lambda text: text.replace("days_after_start = 50", "days_after_start = 20"),
         "milestones must come in order"),
    ],
)
def test_a_wrong_configuration_is_refused_with_a_clear_message(tmp_path: Path, edit, message):
    text = (DEFAULT_CITY_CONFIG_DIR / "bogota.toml").read_text(encoding="utf-8")
    (tmp_path / "bogota.toml").write_text(edit(text), encoding="utf-8")
    with pytest.raises(CityConfigError, match=message):
        load_city_config(Settings(city_config_dir=tmp_path))


def test_a_missing_city_is_named_in_the_error(tmp_path: Path):
    shutil.copy(DEFAULT_CITY_CONFIG_DIR / "bogota.toml", tmp_path / "bogota.toml")
    with pytest.raises(CityConfigError, match="no configuration for city 'lima'"):
        load_city_config(Settings(city="lima", city_config_dir=tmp_path))


def _bogota_with(tmp_path: Path, old: str, new: str) -> Settings:
    text = (DEFAULT_CITY_CONFIG_DIR / "bogota.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "bogota.toml").write_text(text.replace(old, new), encoding="utf-8")
    return Settings(city_config_dir=tmp_path)


def test_a_coordinator_listed_twice_is_refused_when_the_file_is_loaded(tmp_path: Path):
    with pytest.raises(CityConfigError, match=r"coordinator chat ids repeat: \[9001\]"):
        load_city_config(_bogota_with(tmp_path, "chat_ids = []", "chat_ids = [9001, 9002, 9001]"))


def test_an_unknown_time_zone_is_refused_when_the_file_is_loaded(tmp_path: Path):
    with pytest.raises(CityConfigError, match="unknown time zone 'America/Bogata'"):
        load_city_config(_bogota_with(tmp_path, 'timezone = "America/Bogota"', 'timezone = "America/Bogata"'))

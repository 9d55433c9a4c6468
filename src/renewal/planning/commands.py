"""Subcommands of `renewal plan` that other apps add (from their ``AppConfig.ready()``): planning
runs them without importing those apps (`renewal plan draft` belongs to drafting)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subcommand:
    help: str
    add_arguments: Callable  # (argparse parser) -> None
    handle: Callable  # (the management command, options) -> None


SUBCOMMANDS: dict[str, Subcommand] = {}


def register(name: str, subcommand: Subcommand) -> None:
    SUBCOMMANDS[name] = subcommand

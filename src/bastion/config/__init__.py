"""Typed policy models and the loader that reads bastion.yaml."""

from bastion.config.loader import ConfigError, ConfigIssue, load_config, parse_config
from bastion.config.model import BastionConfig

__all__ = ["BastionConfig", "ConfigError", "ConfigIssue", "load_config", "parse_config"]

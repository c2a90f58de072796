"""Imports the provider's modules and parses the DAG files with every warning on; fails when a deprecation
warning (Airflow's RemovedInAirflow*, DeprecatedImportWarning, ...) points at our code.

Usage: check_imports.py DIR...   (directories of DAG files to parse besides the installed provider)
"""

from __future__ import annotations

import importlib
import runpy
import sys
import warnings
from pathlib import Path

MODULES = [
    "delta_agent_provider",
    "delta_agent_provider.hooks.delta_agent",
    "delta_agent_provider.links.delta_agent",
    "delta_agent_provider.operators.delta_agent",
    "delta_agent_provider.triggers.delta_agent",
]
DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)

dirs = [Path(d).resolve() for d in sys.argv[1:]]
import airflow.settings  # noqa: E402, F401  (Airflow's own warnings are not ours; it also installs its warning display)

caught: list[warnings.WarningMessage] = []


def record(message, category, filename, lineno, file=None, line=None) -> None:
    caught.append(warnings.WarningMessage(message, category, filename, lineno, file, line))


warnings.resetwarnings()
warnings.simplefilter("always")
for module in MODULES:
    warnings.showwarning = record  # again each time: Airflow may install its own display while we import
    importlib.import_module(module)
provider = Path(importlib.import_module("delta_agent_provider").__file__).parent.resolve()
sys.path[:0] = [str(d) for d in dirs]
for d in dirs:
    for dag_file in sorted(d.glob("*.py")):
        if not dag_file.name.startswith("check_"):
            warnings.showwarning = record
            runpy.run_path(str(dag_file))
info = importlib.import_module("delta_agent_provider").get_provider_info()

ours = [
    w
    for w in caught
    if issubclass(w.category, DEPRECATIONS)
    and any(Path(w.filename).resolve().is_relative_to(p) for p in [provider, *dirs])
]
for w in ours:
    print(f"FAIL {w.filename}:{w.lineno} {w.category.__name__}: {w.message}", file=sys.stderr)
print(
    f"imports: {len(MODULES)} provider modules and the DAG files of {len(dirs)} directories, "
    f"{len(ours)} deprecation warnings from them ({len(caught)} warnings in all); provider {info['versions'][0]}",
    file=sys.stderr,
)
sys.exit(1 if ours else 0)

"""Load a saved copy of some rashomon modules beside the current code.

The equivalence scripts compare old and new implementations on identical
inputs.  The old files live in a baseline folder with the package layout
(``<folder>/src/rashomon/<module>.py``); each is executed under a private
module name, with its imports of the other saved modules redirected to their
private copies, so old code calls old code and everything else is shared.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_saved_modules(folder: Path, modules: list[str], prefix: str,
                       ) -> dict[str, types.ModuleType]:
    """The saved ``modules`` (package-relative paths such as ``"analyze/quotes/_layer"``,
    in import order) found under ``folder``, keyed by path; missing ones are skipped.

    Each module's ``__file__`` is the current file's path, so data files found
    relative to it (``parents[1] / "data"``) resolve alike for old and new code.
    """
    def private(mod: str) -> str:
        return prefix + mod.replace("/", "_")

    saved = folder / "src" / "rashomon"
    present = [m for m in modules if (saved / f"{m}.py").is_file()]
    out: dict[str, types.ModuleType] = {}
    for mod in present:
        path = saved / f"{mod}.py"
        src = path.read_text(encoding="utf-8")
        for other in present:
            dotted = "rashomon." + other.replace("/", ".")
            src = re.sub(rf"\b{re.escape(dotted)}\b", private(other), src)
        name = private(mod)
        spec = importlib.util.spec_from_loader(name, loader=None)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        module.__file__ = str(ROOT / "src" / "rashomon" / f"{mod}.py")
        sys.modules[name] = module
        exec(compile(src, str(path), "exec"), module.__dict__)
        out[mod] = module
    return out

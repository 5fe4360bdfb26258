"""charts/ stays light: no matplotlib until a chart is drawn (what it may import at all is
tests/test_layers.py's)."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_charts_loads_no_heavy_library():
    out = run(
        "import sys, forethought.charts\n"
        "print(sorted(m for m in ('matplotlib', 'pandas', 'numpy') if m in sys.modules))"
    )
    assert out == "[]"


def test_drawing_never_touches_pyplot():
    out = run(
        "import sys, pandas as pd\n"
        "from forethought.charts import plot_history, plot_score_history\n"
        "f = pd.DataFrame({'forecaster': ['a'], 'made_at': [pd.Timestamp('2024-01-01', tz='UTC')],"
        " 'probability': [0.5]})\n"
        "plot_history(f, title='q')\n"
        "plot_score_history(pd.DataFrame({'month': ['2024-01'], 'brier': [0.2],"
        " 'questions': [1], 'forecasts': [1]}))\n"
        "print('matplotlib.pyplot' in sys.modules)"
    )
    assert out == "False"

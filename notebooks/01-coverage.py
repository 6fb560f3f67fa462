# %% [markdown]
# # Coverage gaps (覆盖缺口)
#
# Where party organization or party work is missing in a scope: the estates that should have
# an org and have none (应建未建) first, buildings without a group, grids without a branch —
# as tables, as a chart, and drawn as the street's structure.

# %% tags=["parameters"]
SCENARIO = "demo"
SEED = 1
SCOPE = "DMD01-S01"  # a street (the structure view draws a street or a community)

# %%
from orgnet.api import charts
from orgnet.api.labels import coverage_sentence
from orgnet.api.notebook import frame, open_scenario
from orgnet.api.views import draw
from orgnet.queries.coverage import coverage_summary, gaps
from orgnet.queries.networks import structure
from orgnet.queries.report import coverage_report

book = open_scenario(SCENARIO, seed=SEED)
print(coverage_sentence(coverage_summary(book.db, SCOPE), "zh"))

# %% [markdown]
# Estates without a party org, those that should have one (≥ 3 resident members) first.

# %%
estates = frame(gaps(book.db, "estates", SCOPE).rows)
estates.head(15)

# %%
frame(gaps(book.db, "grids", SCOPE).rows)

# %% [markdown]
# Coverage by community, lowest first, against the 100% goal.

# %%
report = coverage_report(book.db, SCOPE)
charts.coverage(report.communities, by="community")

# %% [markdown]
# The street's structure: communities, estates and grids, buildings on rings around it, each
# party org beside what it covers; gaps ringed red or orange. Hover a node for its details.

# %%
view = draw(structure(book.db, SCOPE), hierarchy=True)
print(f"{view.nodes} nodes, {view.edges} relationships")
view

# %%
book.stop()

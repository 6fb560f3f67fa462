# %% [markdown]
# # orgnet: a first look
#
# A scenario in an engine of its own, its coverage in one sentence and one table. Every
# answer comes from orgnet's Python functions; nothing here is Cypher.

# %% tags=["parameters"]
SCENARIO = "demo"  # a packaged scenario: demo, xinfu or province
SEED = 1
SCOPE = "DMD01"  # a district, street or community of the scenario

# %%
from orgnet.api.labels import coverage_sentence
from orgnet.api.notebook import frame, open_scenario
from orgnet.queries.coverage import coverage_summary
from orgnet.queries.report import coverage_report

book = open_scenario(SCENARIO, seed=SEED)
summary = coverage_summary(book.db, SCOPE)
print(coverage_sentence(summary, "zh"))

# %%
frame(coverage_report(book.db, SCOPE).communities)[
    ["street", "community", "estates", "households", "org_rate", "work_rate", "actionable"]
]

# %%
book.stop()

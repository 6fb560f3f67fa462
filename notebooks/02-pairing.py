# %% [markdown]
# # Pairing balance (结对共建与双报到均衡)
#
# Whether paired units and reporting in-service members are spread fairly over communities:
# per community, the Gini and the Lorenz curve, a rebalancing, and the pairings drawn.

# %% tags=["parameters"]
SCENARIO = "demo"
SEED = 1
SCOPE = "DMD01"

# %%
from orgnet.api import charts
from orgnet.api.notebook import frame, open_scenario
from orgnet.api.views import draw
from orgnet.queries import networks
from orgnet.queries.pairing import pairing_balance, rebalance

book = open_scenario(SCENARIO, seed=SEED)
balance = pairing_balance(book.db, SCOPE)
print(f"units per 10,000 households: Gini {balance.units.gini}, CV {balance.units.cv}")
frame(balance.communities).sort_values("units_per_10k")

# %%
charts.lorenz(balance)

# %% [markdown]
# A re-pairing that lowers the Gini, if there is one (units keep their number of pairings).

# %%
plan = rebalance(book.db, SCOPE)
print(f"Gini {plan.gini_before} → {plan.gini_after}")
frame(plan.moves)

# %%
view = draw(networks.pairing(book.db, SCOPE))
view

# %%
book.stop()

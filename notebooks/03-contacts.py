# %% [markdown]
# # Contact paths (联系路径)
#
# Who connects to whom through which posts: a resident's chain up the party hierarchy, the
# shortest paths between two people, the people who sit on several sides, and the brokers.

# %% tags=["parameters"]
SCENARIO = "demo"
SEED = 1
SCOPE = "DMD01-S01"
FROM = "DMP0000002"
TO = "DMP0000042"

# %%
from orgnet.api.notebook import frame, open_scenario
from orgnet.api.views import draw
from orgnet.queries import networks
from orgnet.queries.paths import brokers, chain, paths

book = open_scenario(SCENARIO, seed=SEED)
frame(chain(book.db, FROM).links)

# %%
found = paths(book.db, FROM, TO, k=3)
for p in found.paths:
    print(p)

# %%
draw(networks.contact_path(book.db, FROM, TO, k=3))

# %% [markdown]
# People with posts on more than one side (party org, owners' committee, property firm, unit,
# community), and the estates whose triad nobody links.

# %%
draw(networks.cross(book.db, SCOPE))

# %%
frame(brokers(book.db, SCOPE, top=10).central)

# %%
book.stop()

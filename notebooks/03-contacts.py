# %% [markdown]
# # 联系路径
#
# 谁通过哪些职务与谁相联系：一名居民党员沿党组织向上的联系链、两人之间的最短路径、
# 在多方任职的人员，以及关键联系人。

# %% tags=["parameters"]
SCENARIO = "demo"
SEED = 1
SCOPE = "DMD01-S01"
FROM = "DMP0000016"  # 一名楼栋党小组的党员
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
# 在多方（党组织、业委会、物业企业、单位、社区）任职的人员，以及无人联动三方的小区。

# %%
draw(networks.cross(book.db, SCOPE))

# %%
frame(brokers(book.db, SCOPE, top=10).central)

# %%
book.close()  # 数据库继续运行；book.stop() 可停止它

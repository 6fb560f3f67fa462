# %% [markdown]
# # 结对共建与双报到均衡
#
# 结对单位和报到的在职党员在各社区之间是否分布均衡：各社区的比率、基尼系数和洛伦兹曲线，
# 一份调整方案，以及结对关系图。

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


def figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


book = open_scenario(SCENARIO, seed=SEED)
balance = pairing_balance(book.db, SCOPE)
units = balance.units
print(f"每万户结对单位数：基尼系数 {figure(units.gini)}，变异系数 {figure(units.cv)}")
frame(sorted(balance.communities, key=lambda c: c.units_per_10k or 0))

# %%
charts.lorenz(balance)

# %% [markdown]
# 能降低基尼系数的调整方案（各单位结对的社区数不变），没有则说明原因。

# %%
plan = rebalance(book.db, SCOPE)
print(f"基尼系数 {figure(plan.gini_before)} → {figure(plan.gini_after)}")
frame(plan.moves)

# %%
view = draw(networks.pairing(book.db, SCOPE))
view

# %%
book.close()  # 数据库继续运行，供下一个笔记本使用；book.stop() 可停止它

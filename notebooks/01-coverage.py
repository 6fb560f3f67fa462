# %% [markdown]
# # 覆盖缺口
#
# 一个范围内哪里缺少党的组织或党的工作：先列应建未建党组织的小区，再列未建党小组的楼栋、
# 未建支部的网格——以表格、图表和组织架构图呈现。

# %% tags=["parameters"]
SCENARIO = "demo"
SEED = 1
SCOPE = "DMD01-S01"  # 一个街道（组织架构图画街道或社区）

# %%
from orgnet.api import charts
from orgnet.api.labels import coverage_sentence
from orgnet.api.notebook import frame, open_scenario
from orgnet.api.tree import draw_tree
from orgnet.queries.coverage import coverage_summary, gaps
from orgnet.queries.networks import structure
from orgnet.queries.report import coverage_report

book = open_scenario(SCENARIO, seed=SEED)
print(coverage_sentence(coverage_summary(book.db, SCOPE), "zh"))

# %% [markdown]
# 未建党组织的小区，应建未建（居住党员不少于 3 名）的在前。

# %%
estates = frame(gaps(book.db, "estates", SCOPE).rows)
estates.head(15)

# %%
frame(gaps(book.db, "grids", SCOPE).rows)

# %% [markdown]
# 各社区覆盖率，由低到高，对照 100% 的目标。

# %%
report = coverage_report(book.db, SCOPE)
charts.coverage(report.communities, by="community")

# %% [markdown]
# 街道的组织架构：社区、网格和小区、楼栋逐级展开，覆盖各处的党组织列在旁边，缺口标出；
# 收起的分支也显示其下的缺口数。可用搜索框查找名称或编号。

# %%
view = draw_tree(structure(book.db, SCOPE))
view

# %%
book.close()  # 数据库继续运行，供下一个笔记本使用；book.stop() 可停止它

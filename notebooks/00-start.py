# %% [markdown]
# # orgnet 入门：一个场景的覆盖概况
#
# 在一个独立的数据库中载入一个场景，用一句话和一张表说明它的覆盖情况。所有答案都来自
# orgnet 的 Python 函数，这里不写 Cypher。数据库在各笔记本之间保持运行，已载入的场景
# 不必重复生成和导入。

# %% tags=["parameters"]
SCENARIO = "demo"  # 内置场景：demo、xinfu 或 province
SEED = 1
SCOPE = "DMD01"  # 场景中的一个区、街道或社区

# %%
from orgnet.api.labels import coverage_sentence
from orgnet.api.notebook import frame, open_scenario
from orgnet.queries.coverage import coverage_summary
from orgnet.queries.report import coverage_report

book = open_scenario(SCENARIO, seed=SEED)
summary = coverage_summary(book.db, SCOPE)
print(coverage_sentence(summary, "zh"))

# %% [markdown]
# 各社区的覆盖情况。

# %%
frame(coverage_report(book.db, SCOPE).communities)

# %%
book.close()  # 数据库继续运行，供下一个笔记本使用；book.stop() 可停止它

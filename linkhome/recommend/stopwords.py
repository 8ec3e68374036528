"""Words that say nothing about what a page is about, left out of its terms.

Chinese needs only a short list: one-character tokens (的, 了, 是…) are left out by length,
and most words common everywhere get a low IDF; the pronouns and connectives below do not
always, and are never a tag. English function words do not:
"the" is two thirds of no page's meaning, but its raw count swamps a short page's vector.
URL words appear because an untitled page's title is its address.
"""

_ENGLISH = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me might more most must my myself no nor not now of off on once
    only or other our ours ourselves out over own said same say says she should so some such
    than that the their theirs them themselves then there these they this those through to
    too under until up us very was we were what when where which while who whom why will with
    would you your yours yourself yourselves mr mrs ms one two new year years
    http https www com html htm php"""
ENGLISH = frozenset(_ENGLISH.split())

_CHINESE = """我们 你们 他们 她们 它们 自己 大家 一个 一些 这个 那个 这些 那些 这样 那样 这里 那里
    什么 怎么 为什么 没有 就是 还是 可以 可能 已经 因为 所以 但是 不过 如果 虽然 而且 或者
    以及 然后 现在 目前 今天 昨天 明天 今年 去年 表示 认为 指出 进行 通过 其中 之后 之前
    以上 以下 时候 时间 问题 方面 情况 非常 觉得 知道 一定 一样 不是 这种 同时"""
CHINESE = frozenset(_CHINESE.split())


def is_stopword(token: str) -> bool:
    return token in ENGLISH or token in CHINESE

"""Texts for recommendation tests, to keep with linkhome.testing.factories.kept (add_link
then finish, so the index and the profile are built by the same signals as in production)."""

FOOTBALL_ZH = [
    "国家队主教练公布了世界杯预选赛大名单，多名年轻球员首次入选，前锋线竞争激烈。",
    "足球联赛第十轮，主队凭借前锋的梅开二度战胜对手，主教练赛后称赞球员斗志。",
    "世界杯预选赛前，国家队在训练基地集中，主教练安排了针对前锋和后卫的专项训练。",
    "联赛积分榜上，两支球队的前锋状态火热，主教练都希望在世界杯前保持球员健康。",
]
STOCKS_ZH = [
    "央行宣布下调存款准备金率，股市应声上涨，银行股和券商股领涨，投资者信心回升。",
    "上证指数收盘上涨百分之二，成交量放大，分析师认为降准释放流动性利好股市。",
]
FOOTBALL_EN = [
    "The striker scored twice as the home side won the league match; the manager praised "
    "the midfield and the defence after the football game.",
    "The manager named a young striker in the squad for the World Cup qualifier, and the "
    "football federation confirmed the defence coach.",
    "Football: the league leaders lost their striker to injury before the cup match, the "
    "manager said, and the midfield will change.",
]
STOCKS_EN = [
    "Shares rose on the stock market after the central bank cut interest rates; bank "
    "shares led the index higher and investors bought bonds.",
    "The stock index closed higher as investors welcomed the interest rate cut by the "
    "central bank; bond yields fell.",
]


def urls(snapshots) -> list[str]:
    return [s.link.url for s in snapshots]

"""Generated nicknames of the form 形容词 + 的 + 名词 ("无邪的丝瓜")."""

import secrets

ADJECTIVES = (
    "无邪 刚毅 温柔 勇敢 安静 活泼 机智 憨厚 淡定 认真 热情 冷静 聪明 可爱 善良 坚强 开朗 乐观 "
    "腼腆 沉稳 灵巧 幽默 豪爽 细心 耐心 优雅 朴素 清新 明亮 快乐 忧郁 迷糊 慵懒 调皮 执着 潇洒 "
    "文静 爽朗 沉默 倔强 单纯 天真 稳重 敏锐 果断 谦虚 大方 坦率 温和 勤劳 努力 自由 神秘 孤独 "
    "害羞 顽强 纯真 朝气 淘气 伶俐 飘逸 深沉 直率 热心 闪亮 轻盈 悠闲 欢快 呆萌 睿智 笃定 洒脱"
).split()
NOUNS = (
    "丝瓜 皮带 土豆 白菜 萝卜 茄子 黄瓜 南瓜 冬瓜 苹果 香蕉 橘子 柠檬 西瓜 葡萄 芒果 菠萝 草莓 "
    "樱桃 桃子 板栗 核桃 花生 豆腐 饺子 包子 馒头 面条 汤圆 月饼 粽子 奶茶 咖啡 可乐 雪碧 蛋糕 "
    "饼干 薯片 铅笔 橡皮 书包 台灯 闹钟 雨伞 帽子 围巾 手套 袜子 枕头 被子 椅子 桌子 钥匙 眼镜 "
    "水杯 风筝 气球 灯笼 小猫 小狗 熊猫 兔子 松鼠 海豚 企鹅 鲸鱼 老虎 狮子 猴子 大象 长颈鹿 斑马 "
    "蜗牛 蜜蜂 蝴蝶 蜻蜓 麻雀 燕子 鸽子 海鸥 仙人掌 向日葵 蒲公英 玫瑰 茉莉 竹子 松树 枫叶 云朵 星星"
).split()


def random_nickname() -> str:
    return f"{secrets.choice(ADJECTIVES)}的{secrets.choice(NOUNS)}"


def combinations() -> int:
    return len(ADJECTIVES) * len(NOUNS)

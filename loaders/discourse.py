"""The wording of case reports that tells who a clause is about and how a practice spreads.

The text extractor (loaders/text_extractor.py) reads subjects, references back and roll-outs with
these patterns; each states a habit of the genre (a report's own unit as subject, 在全县推行, a
national body leading a clause), never a string of one text. Stage, year and learning words are in
loaders/adoption.py.
"""

from __future__ import annotations

import re

__all__ = [
    "ACTS",
    "BODY_ENDINGS",
    "BRACKETED",
    "BULLETS",
    "CENTRAL_SUBJECT",
    "DESIGNATED",
    "ENUMERATION",
    "EVALUATED",
    "INSTITUTION",
    "JOINER",
    "LEADING",
    "LOCATIVE_BEFORE",
    "NAMING",
    "NEW_ITEM",
    "OPENS_WITH_TIME",
    "PLACE_QUALIFIED",
    "REACHED",
    "SELF_REFERENCE",
    "SET_UP",
    "SPREAD_AFTER",
    "SPREAD_BEFORE",
    "TODAY_NOTE",
    "TRIED_FIRST",
    "UNIT_NAME",
    "UNIT_REFERENCE",
    "UNIT_WORDS",
    "WHOLE_AREA",
]

# Words that may come before a clause's subject zone: 而浙江…, 在宁波市…, 此外，海宁市…, 该区望京街道…
LEADING = re.compile(
    r"^(而|另外|此外|同时|其中|如|例如|比如|在|据悉|目前|近年来|近年|再如|又如|还有|另一方面|相比之下|与此同时"
    r"|该区|该县|该市|该镇|该乡|该街道|本区|本县|本市|我区|我县|我市|全区|全县|全市)?$"
    # or a time before it: 2018年底河间全市推行…, 同年7月，…
    r"|^(((19|20)\d{2}年)?(\d{1,2}月)?(\d{1,2}日)?(初|底|中旬|上旬|下旬|上半年|下半年|以来|起|前后)?)$"
)
# Numbering before a heading's words: 一、 (二) 3. 第四节
ENUMERATION = re.compile(r"^\s*(第?[一二三四五六七八九十\d]+[、.．)）节章]|[(（][一二三四五六七八九十\d]+[)）])\s*")
# A report's own unit standing as subject: 我县…, 本市…, 县委、县政府… (after a time: 2014年初，…).
SELF_REFERENCE = re.compile(
    r"\s*(((19|20)\d{2}年)?(\d{1,2}月)?(初|底|以来|起)?)?"
    r"((我|本)(?P<unit>县|市|区|镇|乡|街道|村|社区)"
    r"|(?P<organ_unit>县|市|区|镇|乡|街道)(委|政府|人民政府|党委|党工委|办事处)(?![\u4e00-\u9fff]{0,2}(书记|主任|县长|市长|区长|镇长)))"
)
# A unit word standing for a place just named: 社区…, 该村…, 村里…, after a time (2019年起，街道…).
UNIT_REFERENCE = re.compile(
    r"\s*(((19|20)\d{2}年)?(\d{1,2}月)?(初|底|以来|起|后)?)?(该|这个|此|当地)?(?P<unit>社区|村|镇|乡|街道|县|区)"
)
# A national body or document leading a clause (2022年，党的二十大报告提出…, 中央政法委在全国评选…,
# 国务院办公厅印发…): what it names is its call or its honour, not the practice of the place last named.
CENTRAL_SUBJECT = re.compile(
    r"\s*(((19|20)\d{2}年)?(\d{1,2}月)?(\d{1,2}日)?(初|底|以来|起|后)?[，,]?)?"
    r"(党的[一二三四五六七八九十]+大|党中央|中共中央|中央|国务院|全国人大|国家[\u4e00-\u9fff]{0,6}(部|委|局)|《"
    r"|[\u4e00-\u9fff]{1,5}部(?=(印发|发布|出台|提出|批复|确定|评选|部署|要求|下发|联合|将)))"
)
# A roll-out over a whole unit with no name given: 在全县推行, 推广到全市各乡镇, 在全省部署.
WHOLE_AREA = re.compile(r"(在|到|至|向|于)全(?P<unit>省|市|县|区|镇|乡)(?![民国体部面力程年过])")
# Someone else's judgement of a practice (对“某某”给予肯定, 对某做法作出批示): not when it began.
EVALUATED = re.compile(r"对[^，。；]{1,40}(给予|作出|做出|予以)?(肯定|批示|点赞|称赞|表扬|赞扬|好评)")
NEW_ITEM = re.compile(
    r"\s*([一二三四五六七八九十]+是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+|首先|其次|再次|最后"
    r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+、)"
)
OPENS_WITH_TIME = re.compile(r"\s*((19|20)\d{2}年|次年|翌年|同年|当年|此后|随后|后来|之后)")
# A subject's trial told before the practice is named: 甲村先行先试之后, 在甲镇试点后.
TRIED_FIRST = re.compile(r"(先行先试|先行试点|率先试点|试点|试行|先行)(之后|以后|后|成功后)$")
# Verbs of putting something in place, for a clause that does the section's practice without naming it.
ACTS = re.compile(
    r"(组建|建立|设立|成立|启动|开展|探索|推行|实行|实施|试点|试行|先行|撤销|改革|推广|推开|创建|搭建|构建|打造)"
)
DESIGNATED = re.compile(r"(被确定为|被确定成|被列为|列为|被选为|被定为|成为|是)[^，。；]{0,14}试点")
# A body set up across many places: 在各村、社区成立…, 在全市推行…, 全面建立…; 把…建到了/推广到….
SPREAD_BEFORE = re.compile(
    r"((各|每个|每一个|所有|全)[^，。；]{0,10}(成立|建立|组建|设立|推行|推广|建起)|推行|推广|普及|全面建立|全面推行)$"
)
SPREAD_AFTER = re.compile(r"(建到|推广到|覆盖到|延伸到|推开到|铺开到)")
NAMING = re.compile(r"(称为|称作|命名为|定名为|统称为|概括为|叫作|叫做)")
INSTITUTION = re.compile(r"(会|队|站|组|中心)(?P<kind>制度|机制)")
BODY_ENDINGS = ("会", "队", "站", "组", "中心")
SET_UP = re.compile(r"(成立|引入|引进|组建|建立|设立|建起|推行|推广|组织起|成立了|建立了)$")
PLACE_QUALIFIED = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,6})[‘「“](?P<inner>[^‘’「」“”]{2,20})[’」”]$")
TODAY_NOTE = re.compile(r"^[（(]\s*今")
BRACKETED = re.compile(r"[（(][^（）()]{0,12}[)）]")
UNIT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(省|市|县|区|旗|镇|乡|街道)")
UNIT_WORDS = ("社区", "村", "镇", "乡", "街道", "县", "区", "市", "省")
BULLETS = "·•●■◆▪-—*"  # a list item's mark before its first word
# Between coordinated zones (甲镇、乙镇和丙镇): nothing but a conjunction.
JOINER = re.compile(r"\s*(、|和|与|及|以及)\s*")
# Just before a zone that a roll-out or trial is placed in: 在乙镇, 到全市, 向丙县.
LOCATIVE_BEFORE = re.compile(r"(在|到|向|于|至)$")
# A roll-out that reaches zones named after its verb: 推广到乙县, 建到了甲村, 延伸至丙镇.
REACHED = re.compile(r"(推广|推开|推行|延伸|扩大|复制|建|覆盖|铺开|拓展|辐射|扩展)(到|至)了?$")

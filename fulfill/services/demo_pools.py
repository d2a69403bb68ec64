"""Pools behind the demo data: a seller's catalogue and buyers' names and places.

Addresses are written the way buyers type them on each country's checkout, in the native
script, next to the romanised form a carrier label needs. Cells in the tables below read
"native=Latin" and several of them are joined with "|". Every place, name and street is
common or generic; postal codes have the right format and, where a place is named, the
right area. Phone numbers use the ranges reserved for fiction where a country has one
(US/CA 555-01xx, UK 07700 900xxx).

Each country has a builder `(random, rich) -> Parts`; `rich=True` asks for the fullest
form (native script, building name), which demo_data uses for the orders that must show
every feature even in a small data set.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from fulfill.domain.address import AddressText

Rand = Callable[[], float]


class Parts(NamedTuple):
    typed: AddressText
    latin: AddressText | None  # None when the buyer already typed Latin script
    postal: str
    phone: str
    slug: str  # ASCII "given.surname", for a plausible e-mail address
    tax_bp: int = 0  # US sales tax a marketplace collects there, in basis points


# --- helpers -------------------------------------------------------------------------

_FOLD = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o"})


def _ascii(text: str) -> str:
    """'Jörg' -> 'jorg', 'Łukasz' -> 'lukasz', "O'Brien" -> 'obrien'."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|\n]", text) if item.strip()]


def _pairs(text: str) -> tuple[tuple[str, str, str], ...]:
    """'王=Wang|李=Li' -> (('王', 'Wang', 'wang'), ('李', 'Li', 'li'))."""
    out = []
    for item in _items(text):
        native, _, latin = item.partition("=")
        out.append((native, latin or native, _ascii(latin or native)))
    return tuple(out)


def _names(text: str) -> tuple[tuple[str, str], ...]:
    """Latin-script names with an ASCII form of their first two words for e-mail addresses:
    'Jörg|Thị Lan' -> (('Jörg', 'jorg'), ('Thị Lan', 'thi.lan'))."""
    out = []
    for name in _items(text):
        words = [w for w in name.split() if w not in _PATRONYMIC_LINKS]
        out.append((name, ".".join(_ascii(w) for w in words[:2])))
    return tuple(out)


_PATRONYMIC_LINKS = ("bin", "binti", "binte", "a/p", "a/l", "d/o", "s/o")


def _rows(text: str) -> tuple[tuple[str, ...], ...]:
    """One row per line, cells split on ';'."""
    return tuple(
        tuple(cell.strip() for cell in line.split(";")) for line in text.strip().splitlines()
    )


class _Digits:
    """'+86 13# #### ####': each run of # becomes random digits."""

    __slots__ = ("_parts",)

    def __init__(self, pattern: str) -> None:
        self._parts = [(lit, len(h)) for lit, h in re.findall(r"([^#]*)(#*)", pattern) if lit or h]

    def __call__(self, r: Rand) -> str:
        out = []
        for literal, width in self._parts:
            out.append(literal)
            if width:
                out.append(str(int(r() * 10**width)).zfill(width))
        return "".join(out)


def _phones(*patterns: str) -> tuple[_Digits, ...]:
    return tuple(_Digits(p) for p in patterns)


def _pick(r: Rand, seq):
    return seq[int(r() * len(seq))]


def _num(r: Rand, lo: int, hi: int) -> int:
    return lo + int(r() * (hi - lo + 1))


def _female(r: Rand) -> bool:
    return r() < 0.78  # most K-beauty and K-pop buyers are women


# --- Mainland China: Simplified Chinese, pinyin --------------------------------------

_CN_SURNAMES = _pairs("王=Wang|李=Li|张=Zhang|刘=Liu|陈=Chen|杨=Yang|赵=Zhao|黄=Huang|周=Zhou|"
                      "吴=Wu|徐=Xu|孙=Sun|胡=Hu|朱=Zhu|高=Gao|林=Lin|何=He|郭=Guo|马=Ma|罗=Luo")
_CN_GIVEN = _pairs("芳=Fang|伟=Wei|娜=Na|静=Jing|敏=Min|丽=Li|强=Qiang|磊=Lei|婷婷=Tingting|"
                   "晓雯=Xiaowen|雨欣=Yuxin|子涵=Zihan|思雨=Siyu|佳怡=Jiayi|欣怡=Xinyi|浩然=Haoran|"
                   "梓萱=Zixuan|一诺=Yinuo|诗琪=Shiqi|梦瑶=Mengyao")
# postal; province (empty for the four municipalities); city; district; streets there
_CN_PLACES = tuple((p, _pairs(v)[0] if v else ("", "", ""), _pairs(c)[0], _pairs(d)[0], _pairs(s))
                   for p, v, c, d, s in _rows("""
200120;;上海市=Shanghai;浦东新区=Pudong New Area;张杨路=Zhangyang Road|世纪大道=Century Avenue|东方路=Dongfang Road
200030;;上海市=Shanghai;徐汇区=Xuhui District;漕溪北路=North Caoxi Road|衡山路=Hengshan Road
200040;;上海市=Shanghai;静安区=Jing'an District;南京西路=West Nanjing Road|延安中路=Middle Yan'an Road
100020;;北京市=Beijing;朝阳区=Chaoyang District;建国路=Jianguo Road|朝阳北路=North Chaoyang Road|工体北路=North Gongti Road
100080;;北京市=Beijing;海淀区=Haidian District;中关村大街=Zhongguancun Street|学院路=Xueyuan Road
518052;广东省=Guangdong;深圳市=Shenzhen;南山区=Nanshan District;深南大道=Shennan Avenue|南海大道=Nanhai Avenue|科技南路=South Keji Road
518048;广东省=Guangdong;深圳市=Shenzhen;福田区=Futian District;福华路=Fuhua Road|益田路=Yitian Road
510620;广东省=Guangdong;广州市=Guangzhou;天河区=Tianhe District;天河路=Tianhe Road|体育西路=West Tiyu Road
310012;浙江省=Zhejiang;杭州市=Hangzhou;西湖区=Xihu District;文三路=Wensan Road|天目山路=Tianmushan Road
210008;江苏省=Jiangsu;南京市=Nanjing;鼓楼区=Gulou District;中山北路=North Zhongshan Road|广州路=Guangzhou Road
215000;江苏省=Jiangsu;苏州市=Suzhou;姑苏区=Gusu District;人民路=Renmin Road|干将西路=West Ganjiang Road
610021;四川省=Sichuan;成都市=Chengdu;锦江区=Jinjiang District;春熙路=Chunxi Road|红星路=Hongxing Road
430061;湖北省=Hubei;武汉市=Wuhan;武昌区=Wuchang District;中北路=Zhongbei Road|武珞路=Wuluo Road
266071;山东省=Shandong;青岛市=Qingdao;市南区=Shinan District;香港中路=Middle Hongkong Road|燕儿岛路=Yan'erdao Road
"""))
_CN_ESTATES = _pairs("阳光花园=Yangguang Garden|锦绣华庭=Jinxiu Huating|翠苑小区=Cuiyuan Community|"
                     "金色家园=Jinse Jiayuan|华府公寓=Huafu Apartments|绿洲新城=Lüzhou Xincheng")
_CN_PHONES = _phones("+86 138 #### ####", "+86 139 #### ####", "+86 150 #### ####",
                     "+86 186 #### ####", "+86 177 #### ####", "+86 199 #### ####")


def _cn(r: Rand, rich: bool) -> Parts:
    sn, gn = _pick(r, _CN_SURNAMES), _pick(r, _CN_GIVEN)
    postal, region, city, district, streets = _pick(r, _CN_PLACES)
    street, estate = _pick(r, streets), _pick(r, _CN_ESTATES)
    no, bldg, room = _num(r, 1, 888), _num(r, 1, 28), _num(r, 1, 32) * 100 + _num(r, 1, 4)
    typed = AddressText(f"{sn[0]}{gn[0]}", f"{district[0]}{street[0]}{no}号",
                        f"{estate[0]}{bldg}栋{room}室", city[0], region[0])
    latin = AddressText(f"{sn[1]} {gn[1]}", f"No. {no} {street[1]}, {district[1]}",
                        f"Room {room}, Building {bldg}, {estate[1]}", city[1], region[1])
    return Parts(typed, latin, postal, _pick(r, _CN_PHONES)(r), f"{gn[2]}.{sn[2]}")


# --- Taiwan: Traditional Chinese; names as on passports (Wade-Giles), streets as on
# Chunghwa Post's English addresses (Hanyu Pinyin) ---------------------------------------

_TW_SURNAMES = _pairs("陳=Chen|林=Lin|黃=Huang|張=Chang|李=Lee|王=Wang|吳=Wu|劉=Liu|蔡=Tsai|"
                      "楊=Yang|許=Hsu|鄭=Cheng|謝=Hsieh|郭=Kuo")
_TW_GIVEN = _pairs("怡婷=Yi-Ting|家慧=Chia-Hui|志明=Chih-Ming|雅雯=Ya-Wen|冠宇=Kuan-Yu|宗翰=Tsung-Han|"
                   "佳穎=Chia-Ying|淑芬=Shu-Fen|俊傑=Chun-Chieh|詩涵=Shih-Han|欣妤=Hsin-Yu|"
                   "品妍=Pin-Yen|思妤=Szu-Yu|郁婷=Yu-Ting")
_TW_PLACES = tuple((p, _pairs(c)[0], _pairs(d)[0], _pairs(s)) for p, c, d, s in _rows("""
106;台北市=Taipei City;大安區=Da'an Dist.;忠孝東路四段=Sec. 4, Zhongxiao E. Rd.|復興南路一段=Sec. 1, Fuxing S. Rd.|敦化南路二段=Sec. 2, Dunhua S. Rd.|和平東路二段=Sec. 2, Heping E. Rd.
110;台北市=Taipei City;信義區=Xinyi Dist.;松仁路=Songren Rd.|基隆路一段=Sec. 1, Keelung Rd.|信義路五段=Sec. 5, Xinyi Rd.
104;台北市=Taipei City;中山區=Zhongshan Dist.;中山北路二段=Sec. 2, Zhongshan N. Rd.|南京東路二段=Sec. 2, Nanjing E. Rd.|林森北路=Linsen N. Rd.
220;新北市=New Taipei City;板橋區=Banqiao Dist.;文化路一段=Sec. 1, Wenhua Rd.|中山路一段=Sec. 1, Zhongshan Rd.|縣民大道二段=Sec. 2, Xianmin Blvd.
231;新北市=New Taipei City;新店區=Xindian Dist.;北新路二段=Sec. 2, Beixin Rd.|中正路=Zhongzheng Rd.
330;桃園市=Taoyuan City;桃園區=Taoyuan Dist.;中正路=Zhongzheng Rd.|復興路=Fuxing Rd.
407;台中市=Taichung City;西屯區=Xitun Dist.;台灣大道三段=Sec. 3, Taiwan Blvd.|市政路=Shizheng Rd.
403;台中市=Taichung City;西區=West Dist.;公益路=Gongyi Rd.|美村路一段=Sec. 1, Meicun Rd.
802;高雄市=Kaohsiung City;苓雅區=Lingya Dist.;四維三路=Siwei 3rd Rd.|中正一路=Zhongzheng 1st Rd.
700;台南市=Tainan City;中西區=West Central Dist.;民生路二段=Sec. 2, Minsheng Rd.|中正路=Zhongzheng Rd.
300;新竹市=Hsinchu City;東區=East Dist.;光復路二段=Sec. 2, Guangfu Rd.|食品路=Shipin Rd.
"""))
_TW_PHONES = _phones("+886 912 ### ###", "+886 921 ### ###", "+886 933 ### ###", "+886 958 ### ###",
                     "+886 988 ### ###")


def _tw(r: Rand, rich: bool) -> Parts:
    sn, gn = _pick(r, _TW_SURNAMES), _pick(r, _TW_GIVEN)
    postal, city, district, streets = _pick(r, _TW_PLACES)
    street, no, floor = _pick(r, streets), _num(r, 1, 320), _num(r, 2, 18)
    lane = _num(r, 10, 250) if r() < 0.25 else 0
    typed_lane, latin_lane = (f"{lane}巷", f", Ln. {lane}") if lane else ("", "")
    typed = AddressText(f"{sn[0]}{gn[0]}", f"{district[0]}{street[0]}{typed_lane}{no}號{floor}樓",
                        city=city[0])
    latin = AddressText(f"{gn[1]} {sn[1]}",
                        f"{floor}F., No. {no}{latin_lane}, {street[1]}, {district[1]}",
                        city=city[1])
    if r() < 0.4:  # the newer 3+2 code; many buyers still type only three digits
        postal += str(_num(r, 1, 60)).zfill(2)
    return Parts(typed, latin, postal, _pick(r, _TW_PHONES)(r), f"{gn[2]}.{sn[2]}")


# --- Hong Kong: Traditional Chinese, Cantonese romanisation; no postal codes ------------

_HK_SURNAMES = _pairs("陳=Chan|李=Lee|張=Cheung|黃=Wong|何=Ho|林=Lam|梁=Leung|劉=Lau|吳=Ng|鄭=Cheng")
_HK_GIVEN = _pairs("嘉欣=Ka Yan|詠詩=Wing Sze|家豪=Ka Ho|志強=Chi Keung|美玲=Mei Ling|俊傑=Chun Kit|"
                   "曉彤=Hiu Tung|子晴=Tsz Ching|凱琳=Hoi Lam|雅婷=Nga Ting")
_HK_PLACES = tuple((_pairs(g)[0], _pairs(a)[0], _pairs(s)) for g, a, s in _rows("""
九龍=Kowloon;旺角=Mong Kok;彌敦道=Nathan Road|西洋菜南街=Sai Yeung Choi Street South|亞皆老街=Argyle Street
九龍=Kowloon;尖沙咀=Tsim Sha Tsui;廣東道=Canton Road|金巴利道=Kimberley Road|加連威老道=Granville Road
九龍=Kowloon;觀塘=Kwun Tong;開源道=Hoi Yuen Road|觀塘道=Kwun Tong Road
香港島=Hong Kong Island;銅鑼灣=Causeway Bay;軒尼詩道=Hennessy Road|怡和街=Yee Wo Street|告士打道=Gloucester Road
香港島=Hong Kong Island;灣仔=Wan Chai;駱克道=Lockhart Road|莊士敦道=Johnston Road
香港島=Hong Kong Island;北角=North Point;英皇道=King's Road|渣華道=Java Road
新界=New Territories;沙田=Sha Tin;沙田正街=Sha Tin Centre Street|大涌橋路=Tai Chung Kiu Road
新界=New Territories;荃灣=Tsuen Wan;沙咀道=Sha Tsui Road|青山公路=Castle Peak Road
新界=New Territories;將軍澳=Tseung Kwan O;唐德街=Tong Tak Street|寶琳北路=Po Lam Road North
"""))
_HK_BUILDINGS = _pairs("金輝大廈=Kam Fai Building|永安大廈=Wing On Mansion|華豐大廈=Wah Fung Building|"
                       "美麗閣=Mei Lai Court|海景花園=Sea View Garden|恒豐大廈=Hang Fung Building|"
                       "富麗華閣=Fu Lai Wah Court|嘉和苑=Ka Wo Court")
_HK_PHONES = _phones("+852 9### ####", "+852 6### ####", "+852 5### ####")


def _hk(r: Rand, rich: bool) -> Parts:
    sn, gn = _pick(r, _HK_SURNAMES), _pick(r, _HK_GIVEN)
    region, area, streets = _pick(r, _HK_PLACES)
    street, bldg = _pick(r, streets), _pick(r, _HK_BUILDINGS)
    no, floor, flat = _num(r, 1, 600), _num(r, 2, 32), "ABCDEFGH"[int(r() * 8)]
    latin = AddressText(f"{sn[1]} {gn[1]}", f"Flat {flat}, {floor}/F, {bldg[1]}",
                        f"{no} {street[1]}", area[1], region[1])
    phone, slug = _pick(r, _HK_PHONES)(r), f"{gn[2]}.{sn[2]}"
    if not rich and r() < 0.25:  # many Hong Kong buyers type their address in English
        return Parts(latin, None, "", phone, slug)
    typed = AddressText(f"{sn[0]}{gn[0]}", f"{street[0]}{no}號{bldg[0]}", f"{floor}樓{flat}室",
                        area[0], region[0])
    return Parts(typed, latin, "", phone, slug)


# --- Japan: kanji and kana, Hepburn romaji as Japan Post prints it ----------------------

_JP_SURNAMES = _pairs("佐藤=Sato|鈴木=Suzuki|高橋=Takahashi|田中=Tanaka|伊藤=Ito|渡辺=Watanabe|"
                      "山本=Yamamoto|中村=Nakamura|小林=Kobayashi|加藤=Kato|吉田=Yoshida|山田=Yamada|"
                      "佐々木=Sasaki|松本=Matsumoto|井上=Inoue|木村=Kimura")
_JP_GIVEN = _pairs("陽菜=Hina|さくら=Sakura|美咲=Misaki|結衣=Yui|葵=Aoi|翔太=Shota|大輝=Daiki|"
                   "彩花=Ayaka|愛=Ai|真由美=Mayumi|恵子=Keiko|あかり=Akari|健太=Kenta|由美=Yumi|"
                   "千尋=Chihiro|ひなた=Hinata|ゆい=Yui|莉子=Riko")
# postal; prefecture; city/ward; town (chome numbers follow)
_JP_PLACES = tuple((p, _pairs(a)[0], _pairs(b)[0], _pairs(c)[0]) for p, a, b, c in _rows("""
150-0001;東京都=Tokyo;渋谷区=Shibuya-ku;神宮前=Jingumae
160-0022;東京都=Tokyo;新宿区=Shinjuku-ku;新宿=Shinjuku
169-0073;東京都=Tokyo;新宿区=Shinjuku-ku;百人町=Hyakunincho
154-0004;東京都=Tokyo;世田谷区=Setagaya-ku;太子堂=Taishido
171-0022;東京都=Tokyo;豊島区=Toshima-ku;南池袋=Minami-Ikebukuro
530-0001;大阪府=Osaka;大阪市北区=Kita-ku, Osaka-shi;梅田=Umeda
542-0086;大阪府=Osaka;大阪市中央区=Chuo-ku, Osaka-shi;西心斎橋=Nishi-Shinsaibashi
544-0034;大阪府=Osaka;大阪市生野区=Ikuno-ku, Osaka-shi;桃谷=Momodani
460-0008;愛知県=Aichi;名古屋市中区=Naka-ku, Nagoya-shi;栄=Sakae
810-0001;福岡県=Fukuoka;福岡市中央区=Chuo-ku, Fukuoka-shi;天神=Tenjin
980-0811;宮城県=Miyagi;仙台市青葉区=Aoba-ku, Sendai-shi;一番町=Ichibancho
220-0012;神奈川県=Kanagawa;横浜市西区=Nishi-ku, Yokohama-shi;みなとみらい=Minatomirai
330-0854;埼玉県=Saitama;さいたま市大宮区=Omiya-ku, Saitama-shi;桜木町=Sakuragicho
730-0035;広島県=Hiroshima;広島市中区=Naka-ku, Hiroshima-shi;本通=Hondori
"""))
_JP_BUILDINGS = _pairs("ハイツ=Heights|コーポ=Corpo|メゾン=Maison|レジデンス=Residence|"
                       "パークハウス=Park House|サンハイム=Sun Heim|グランシャリオ=Grand Chariot")
_JP_PHONES = _phones("+81 90-####-####", "+81 80-####-####", "+81 70-####-####")


def _jp(r: Rand, rich: bool) -> Parts:
    sn, gn = _pick(r, _JP_SURNAMES), _pick(r, _JP_GIVEN)
    postal, pref, city, town = _pick(r, _JP_PLACES)
    block = f"{_num(r, 1, 5)}-{_num(r, 1, 28)}-{_num(r, 1, 18)}"
    typed_bldg = latin_bldg = ""
    if rich or r() < 0.7:
        bldg, room = _pick(r, _JP_BUILDINGS), _num(r, 1, 12) * 100 + _num(r, 1, 8)
        typed_bldg, latin_bldg = f"{bldg[0]}{town[0]} {room}号室", f"{bldg[1]} {town[1]} {room}"
    typed = AddressText(f"{sn[0]} {gn[0]}", f"{town[0]}{block}", typed_bldg, city[0], pref[0])
    latin = AddressText(f"{gn[1]} {sn[1]}", f"{block} {town[1]}", latin_bldg, city[1], pref[1])
    return Parts(typed, latin, postal, _pick(r, _JP_PHONES)(r), f"{gn[2]}.{sn[2]}")


# --- Korea (domestic orders): Hangul, Revised Romanization ------------------------------

_KR_SURNAMES = _pairs("김=Kim|이=Lee|박=Park|최=Choi|정=Jung|강=Kang|조=Cho|윤=Yoon|장=Jang|"
                      "임=Lim|한=Han|오=Oh|서=Seo|신=Shin|권=Kwon")
_KR_GIVEN = _pairs("지민=Jimin|서연=Seoyeon|민준=Minjun|수빈=Subin|하은=Haeun|예은=Yeeun|도윤=Doyun|"
                   "서준=Seojun|유진=Yujin|현우=Hyeonu|지훈=Jihun|은지=Eunji|혜진=Hyejin|소연=Soyeon|"
                   "다은=Daeun|민서=Minseo|채원=Chaewon|지호=Jiho")
# postal range; province or metropolitan city; district; roads in it
_KR_PLACES = tuple((int(lo), int(hi), _pairs(a)[0], _pairs(b)[0], _pairs(c))
                   for lo, hi, a, b, c in _rows("""
06010;06375;서울특별시=Seoul;강남구=Gangnam-gu;테헤란로=Teheran-ro|강남대로=Gangnam-daero|논현로=Nonhyeon-ro|도산대로=Dosan-daero
03900;04213;서울특별시=Seoul;마포구=Mapo-gu;양화로=Yanghwa-ro|월드컵북로=World Cup buk-ro|와우산로=Wausan-ro
05500;05855;서울특별시=Seoul;송파구=Songpa-gu;올림픽로=Olympic-ro|송파대로=Songpa-daero
04700;04812;서울특별시=Seoul;성동구=Seongdong-gu;왕십리로=Wangsimni-ro|성수이로=Seongsui-ro
48000;48140;부산광역시=Busan;해운대구=Haeundae-gu;해운대로=Haeundae-ro|센텀중앙로=Centum jungang-ro
13455;13637;경기도=Gyeonggi-do;성남시 분당구=Bundang-gu, Seongnam-si;판교역로=Pangyoyeok-ro|정자일로=Jeongjail-ro
41900;41990;대구광역시=Daegu;중구=Jung-gu;동성로=Dongseong-ro|국채보상로=Gukchaebosang-ro
34000;34220;대전광역시=Daejeon;유성구=Yuseong-gu;대학로=Daehak-ro|유성대로=Yuseong-daero
63100;63200;제주특별자치도=Jeju-do;제주시=Jeju-si;노연로=Noyeon-ro|연북로=Yeonbuk-ro
"""))
_KR_HOMES = _pairs("한빛아파트=Hanbit Apt.|푸른마을아파트=Pureun Maeul Apt.|은행마을아파트=Eunhaeng Maeul Apt.|"
                   "새솔빌=Saesol Ville|햇살빌라=Haetsal Villa|한강오피스텔=Hangang Officetel")
_KR_PHONES = _phones("+82 10-####-####")


def _kr(r: Rand, rich: bool) -> Parts:
    sn, gn = _pick(r, _KR_SURNAMES), _pick(r, _KR_GIVEN)
    lo, hi, region, district, roads = _pick(r, _KR_PLACES)
    road, no = _pick(r, roads), _num(r, 1, 420)
    kind = r()
    if rich or kind < 0.6:
        home, dong = _pick(r, _KR_HOMES), _num(r, 101, 115)
        ho = _num(r, 1, 25) * 100 + _num(r, 1, 4)
        typed2, latin2 = f"{home[0]} {dong}동 {ho}호", f"{dong}-dong {ho}-ho, {home[1]}"
    elif kind < 0.85:
        floor = _num(r, 2, 12)
        typed2, latin2 = f"{floor}층", f"{floor}F"
    else:
        typed2 = latin2 = ""
    typed = AddressText(f"{sn[0]}{gn[0]}", f"{road[0]} {no}", typed2, district[0], region[0])
    latin = AddressText(f"{sn[1]} {gn[1]}", f"{no} {road[1]}", latin2, district[1], region[1])
    return Parts(typed, latin, f"{_num(r, lo, hi):05d}", _pick(r, _KR_PHONES)(r),
                 f"{gn[2]}.{sn[2]}")


# --- Russia and Kazakhstan: Cyrillic, common passport-style transliteration -------------

def _slavic_female(name: tuple[str, str, str]) -> tuple[str, str, str]:
    """Иванов -> Иванова; surnames such as Ким or Цой do not change."""
    if name[0].endswith(("ов", "ев", "ёв", "ин")):
        return name[0] + "а", name[1] + "a", name[2] + "a"
    return name


_RU_WOMEN = _pairs("Анна=Anna|Мария=Maria|Екатерина=Ekaterina|Ольга=Olga|Дарья=Daria|"
                   "Анастасия=Anastasia|Елена=Elena|Полина=Polina|Ксения=Ksenia|Алина=Alina|"
                   "Юлия=Yulia|Виктория=Viktoria")
_RU_MEN = _pairs("Алексей=Alexey|Дмитрий=Dmitry|Иван=Ivan|Сергей=Sergey|Михаил=Mikhail|"
                 "Андрей=Andrey")
_RU_SURNAMES = _pairs("Иванов=Ivanov|Смирнов=Smirnov|Кузнецов=Kuznetsov|Попов=Popov|"
                      "Соколов=Sokolov|Лебедев=Lebedev|Козлов=Kozlov|Новиков=Novikov|Морозов=Morozov|Волков=Volkov|"
                      "Соловьёв=Solovyov|Фёдоров=Fyodorov|Павлов=Pavlov|Ким=Kim")
# postal prefixes; region (empty for federal cities); city; streets
_RU_PLACES = tuple((_items(p), _pairs(g)[0] if g else ("", "", ""), _pairs(c)[0], _pairs(s))
                   for p, g, c, s in _rows("""
101|105|107|115|117|119|121|123|125|129;;Москва=Moscow;ул. Тверская=ul. Tverskaya|Ленинский пр-т=Leninsky pr-t|ул. Профсоюзная=ul. Profsoyuznaya|ул. Новый Арбат=ul. Novy Arbat
190|191|194|196|197|198;;Санкт-Петербург=Saint Petersburg;Невский пр-т=Nevsky pr-t|ул. Садовая=ul. Sadovaya|Московский пр-т=Moskovsky pr-t|ул. Марата=ul. Marata
630;Новосибирская обл.=Novosibirsk Oblast;Новосибирск=Novosibirsk;Красный пр-т=Krasny pr-t|ул. Ленина=ul. Lenina|ул. Кирова=ul. Kirova
620;Свердловская обл.=Sverdlovsk Oblast;Екатеринбург=Yekaterinburg;ул. Малышева=ul. Malysheva|ул. 8 Марта=ul. 8 Marta|пр-т Ленина=pr-t Lenina
420;Республика Татарстан=Republic of Tatarstan;Казань=Kazan;ул. Баумана=ul. Baumana|ул. Пушкина=ul. Pushkina
690;Приморский край=Primorsky Krai;Владивосток=Vladivostok;ул. Светланская=ul. Svetlanskaya|Океанский пр-т=Okeansky pr-t|ул. Алеутская=ul. Aleutskaya
344;Ростовская обл.=Rostov Oblast;Ростов-на-Дону=Rostov-on-Don;ул. Большая Садовая=ul. Bolshaya Sadovaya|Будённовский пр-т=Budyonnovsky pr-t
"""))
_RU_PHONES = _phones("+7 9## ###-##-##")


def _ru(r: Rand, rich: bool) -> Parts:
    surname = _pick(r, _RU_SURNAMES)
    if _female(r):
        given, surname = _pick(r, _RU_WOMEN), _slavic_female(surname)
    else:
        given = _pick(r, _RU_MEN)
    prefixes, region, city, streets = _pick(r, _RU_PLACES)
    street, house, flat = _pick(r, streets), _num(r, 1, 120), _num(r, 1, 240)
    typed = AddressText(f"{given[0]} {surname[0]}", f"{street[0]}, д. {house}, кв. {flat}",
                        city=city[0], region=region[0])
    latin = AddressText(f"{given[1]} {surname[1]}", f"{street[1]}, d. {house}, kv. {flat}",
                        city=city[1], region=region[1])
    postal = _pick(r, prefixes) + str(_num(r, 0, 999)).zfill(3)
    return Parts(typed, latin, postal, _pick(r, _RU_PHONES)(r), f"{given[2]}.{surname[2]}")


_KZ_WOMEN = _pairs("Айгерим=Aigerim|Асель=Assel|Дана=Dana|Жанна=Zhanna|Мадина=Madina|Алия=Aliya|"
                   "Камила=Kamila|Диана=Diana")
_KZ_MEN = _pairs("Арман=Arman|Нурлан=Nurlan|Ерлан=Yerlan|Даурен=Dauren")
_KZ_SURNAMES = _pairs("Ахметов=Akhmetov|Садыков=Sadykov|Касымов=Kassymov|Омаров=Omarov|"
                      "Жумабаев=Zhumabayev|Сейтжанов=Seitzhanov|Ким=Kim|Пак=Pak|Цой=Tsoy")
_KZ_PLACES = tuple((p, _pairs(c)[0], _pairs(s)) for p, c, s in _rows("""
050;Алматы=Almaty;пр. Абая=Abay Ave.|пр. Достык=Dostyk Ave.|ул. Толе би=Tole Bi St.|ул. Жибек Жолы=Zhibek Zholy St.
010;Астана=Astana;пр. Мангилик Ел=Mangilik El Ave.|ул. Кенесары=Kenesary St.|пр. Республики=Respubliki Ave.
160;Шымкент=Shymkent;пр. Тауке хана=Tauke Khan Ave.|ул. Казыбек би=Kazybek Bi St.
"""))
_KZ_PHONES = _phones("+7 701 ### ####", "+7 707 ### ####", "+7 747 ### ####", "+7 777 ### ####")


def _kz(r: Rand, rich: bool) -> Parts:
    surname = _pick(r, _KZ_SURNAMES)
    if _female(r):
        given, surname = _pick(r, _KZ_WOMEN), _slavic_female(surname)
    else:
        given = _pick(r, _KZ_MEN)
    prefix, city, streets = _pick(r, _KZ_PLACES)
    street, house, flat = _pick(r, streets), _num(r, 1, 200), _num(r, 1, 150)
    typed = AddressText(f"{given[0]} {surname[0]}", f"{street[0]}, д. {house}, кв. {flat}",
                        city=city[0])
    latin = AddressText(f"{given[1]} {surname[1]}", f"{street[1]} {house}, apt. {flat}",
                        city=city[1])
    return Parts(typed, latin, prefix + str(_num(r, 0, 99)).zfill(3), _pick(r, _KZ_PHONES)(r),
                 f"{given[2]}.{surname[2]}")


# --- Latin script with diacritics: Germany, France, Spain, Poland, Czechia, Vietnam ------

def _latin_parts(r: Rand, name: str, slug: str, line1: str, line2: str, city: str,
                 region: str, postal: str, phones: tuple[_Digits, ...]) -> Parts:
    return Parts(AddressText(name, line1, line2, city, region), None, postal,
                 _pick(r, phones)(r), slug)


_DE_GIVEN = _names("Lukas|Anna|Jörg|Sophie|Lena|Jürgen|Katrin|Felix|Marie|Hanna|Jonas|Lea|Björn|"
                   "Mia|Emilia|Sören")
_DE_SURNAMES = _names("Müller|Schäfer|Weiß|Köhler|Groß|Becker|Hoffmann|Schröder|Wagner|Schulz|"
                      "Krüger|Fuchs|Wolf|Günther|Vogel|Nguyen")
_DE_STREETS = _items("Hauptstraße|Bahnhofstraße|Goethestraße|Schillerstraße|Lindenstraße|"
                     "Kastanienallee|Friedrichstraße|Königstraße|Mühlenweg|Gartenstraße|"
                     "Schloßstraße|Rosenstraße|Grüner Weg|Am Südpark")
_DE_CITIES = _rows("""
10115;Berlin
10405;Berlin
10999;Berlin
12043;Berlin
20095;Hamburg
22767;Hamburg
80331;München
80469;München
50667;Köln
60311;Frankfurt am Main
40213;Düsseldorf
04109;Leipzig
70173;Stuttgart
90402;Nürnberg
01067;Dresden
48143;Münster
""")
_DE_LINE2 = _items("Hinterhaus|2. OG|3. OG links|Wohnung 4|Gartenhaus, 1. OG|bei Schäfer")
_DE_PHONES = _phones("+49 151 ########", "+49 160 ########", "+49 176 ########", "+49 157 ########")


def _de(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _DE_GIVEN), _pick(r, _DE_SURNAMES)
    postal, city = _pick(r, _DE_CITIES)
    house = f"{_num(r, 1, 140)}{'a' if r() < 0.08 else ''}"
    line2 = _pick(r, _DE_LINE2) if r() < 0.3 else ""
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}",
                        f"{_pick(r, _DE_STREETS)} {house}", line2, city, "", postal, _DE_PHONES)


_FR_GIVEN = _names("Élodie|Chloé|Léa|Camille|Hélène|Théo|François|Amélie|Inès|Zoé|Clément|"
                   "Mathilde|Noémie|Jérôme|Manon|Lucas")
_FR_SURNAMES = _names("Dubois|Lefèvre|Martin|Bernard|Moreau|Girard|Lefebvre|Rousseau|Fontaine|"
                      "Mercier|Faure|Lambert|Gauthier|Chevalier|Leroy|Bonnet")
_FR_STREETS = _items("rue de la République|rue Sainte-Catherine|boulevard Saint-Germain|"
                     "rue du Faubourg Saint-Antoine|rue de l'Église|avenue Jean Jaurès|rue Pasteur|"
                     "quai des Chartrons|rue Édouard Herriot|chemin des Écoliers|"
                     "allée des Tilleuls|rue des Écoles|avenue Foch")
_FR_CITIES = _rows("""
75011;Paris
75003;Paris
75015;Paris
75018;Paris
69002;Lyon
69007;Lyon
13006;Marseille
33000;Bordeaux
59000;Lille
31000;Toulouse
44000;Nantes
67000;Strasbourg
06000;Nice
34000;Montpellier
35000;Rennes
""")
_FR_LINE2 = _items("Bâtiment B|Appartement 12|Résidence Les Érables, apt 23|3e étage, porte gauche|"
                   "Escalier A, 5e étage")
_FR_PHONES = _phones("+33 6 ## ## ## ##", "+33 7 ## ## ## ##")


def _fr(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _FR_GIVEN), _pick(r, _FR_SURNAMES)
    postal, city = _pick(r, _FR_CITIES)
    number = f"{_num(r, 1, 180)}{' bis' if r() < 0.05 else ''}"
    line2 = _pick(r, _FR_LINE2) if r() < 0.35 else ""
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}",
                        f"{number} {_pick(r, _FR_STREETS)}", line2, city, "", postal, _FR_PHONES)


_ES_GIVEN = _names("José|María|Lucía|Sofía|Javier|Álvaro|Carmen|Marta|Pablo|Elena|Andrés|Inés|"
                   "Raúl|Nerea|Íñigo|Begoña")
_ES_SURNAMES = _names("García|Fernández|Martínez|López|Sánchez|Pérez|Gómez|Muñoz|Jiménez|Ruiz|"
                      "Díaz|Álvarez|Hernández|Moreno|Ibáñez|Castaño")
_ES_STREETS = _items("Calle Mayor|Calle de Alcalá|Avenida de la Constitución|Calle Real|"
                     "Calle San Martín|Plaza de España|Calle de Núñez de Balboa|"
                     "Calle del Príncipe de Vergara|Avenida de Andalucía|Gran Vía|Calle Ancha")
_ES_CITIES = _rows("""
28013;Madrid;Madrid
28004;Madrid;Madrid
08008;Barcelona;Barcelona
08036;Barcelona;Barcelona
46001;València;Valencia
41001;Sevilla;Sevilla
29001;Málaga;Málaga
48001;Bilbao;Bizkaia
50001;Zaragoza;Zaragoza
15001;A Coruña;A Coruña
14001;Córdoba;Córdoba
07001;Palma;Illes Balears
""")
# Floor and door without "º"/"ª": those ordinal signs are not Latin letters to is_latin().
_ES_LINE2 = _items("3 B|2 izq.|5 dcha.|Bajo A|1 C|Ático|4 D, escalera 2")
_ES_PHONES = _phones("+34 6## ## ## ##", "+34 7## ## ## ##")


def _es(r: Rand, rich: bool) -> Parts:
    given, first, second = _pick(r, _ES_GIVEN), _pick(r, _ES_SURNAMES), _pick(r, _ES_SURNAMES)
    postal, city, province = _pick(r, _ES_CITIES)
    line2 = _pick(r, _ES_LINE2) if r() < 0.8 else ""
    return _latin_parts(r, f"{given[0]} {first[0]} {second[0]}", f"{given[1]}.{first[1]}",
                        f"{_pick(r, _ES_STREETS)}, {_num(r, 1, 150)}", line2, city, province,
                        postal, _ES_PHONES)


def _gendered(text: str) -> tuple[tuple[tuple[str, str], tuple[str, str]], ...]:
    """'Kowalski/Kowalska|Nowak' -> ((male, ascii), (female, ascii)) per surname."""
    out = []
    for item in _items(text):
        male, _, female = item.partition("/")
        out.append(((male, _ascii(male)), (female or male, _ascii(female or male))))
    return tuple(out)


_PL_WOMEN = _names("Agnieszka|Małgorzata|Zofia|Katarzyna|Joanna|Ewa|Magdalena|Aleksandra|Natalia|"
                   "Gabriela|Wiktoria|Julia")
_PL_MEN = _names("Łukasz|Paweł|Michał|Piotr|Grzegorz|Jędrzej|Tomasz|Bartłomiej")
_PL_SURNAMES = _gendered("Kowalski/Kowalska|Wiśniewski/Wiśniewska|Kamiński/Kamińska|"
                         "Lewandowski/Lewandowska|Zieliński/Zielińska|Szymański/Szymańska|"
                         "Dąbrowski/Dąbrowska|Kozłowski/Kozłowska|Wójcik|Woźniak|Mazur|Król|Nowak")
_PL_STREETS = _items("ul. Piotrkowska|ul. Marszałkowska|ul. Długa|ul. Świętokrzyska|"
                     "ul. Żeromskiego|ul. Słowackiego|ul. Mickiewicza|al. Jerozolimskie|"
                     "ul. Kościuszki|ul. Grunwaldzka|ul. Floriańska|os. Tysiąclecia")
# first two postal digits; city; voivodeship
_PL_CITIES = tuple((_items(p), c, v) for p, c, v in _rows("""
00|01|02|03;Warszawa;mazowieckie
30|31;Kraków;małopolskie
90|91|93;Łódź;łódzkie
50|51|53;Wrocław;dolnośląskie
80;Gdańsk;pomorskie
60|61;Poznań;wielkopolskie
15;Białystok;podlaskie
70|71;Szczecin;zachodniopomorskie
20;Lublin;lubelskie
87;Toruń;kujawsko-pomorskie
"""))
_PL_PHONES = _phones("+48 5## ### ###", "+48 6## ### ###", "+48 7## ### ###", "+48 88# ### ###")


def _pl(r: Rand, rich: bool) -> Parts:
    female = _female(r)
    given = _pick(r, _PL_WOMEN if female else _PL_MEN)
    surname = _pick(r, _PL_SURNAMES)[1 if female else 0]
    prefixes, city, region = _pick(r, _PL_CITIES)
    house = _num(r, 1, 160)
    line1 = f"{_pick(r, _PL_STREETS)} {house}" + (f"/{_num(r, 1, 80)}" if r() < 0.7 else "")
    postal = f"{_pick(r, prefixes)}-{_num(r, 1, 999):03d}"
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}", line1, "",
                        city, region, postal, _PL_PHONES)


_CZ_WOMEN = _names("Jana|Petra|Lucie|Kateřina|Tereza|Barbora|Eliška|Adéla|Veronika|Markéta")
_CZ_MEN = _names("Tomáš|Jiří|Martin|Ondřej|Lukáš|Vojtěch|Matěj")
_CZ_SURNAMES = _gendered("Novák/Nováková|Dvořák/Dvořáková|Svoboda/Svobodová|Černý/Černá|"
                         "Procházka/Procházková|Kučera/Kučerová|Veselý/Veselá|Horák/Horáková|"
                         "Němec/Němcová|Marek/Marková|Pokorný/Pokorná|Růžička/Růžičková")
_CZ_STREETS = _items("Vodičkova|Na Příkopě|Karlova|Národní|Štefánikova|Masarykova|Husova|"
                     "Palackého|Žižkova|Nádražní|Komenského|Vinohradská|Lidická")
_CZ_CITIES = _rows("""
110 00;Praha 1
120 00;Praha 2
130 00;Praha 3
150 00;Praha 5
170 00;Praha 7
602 00;Brno
702 00;Ostrava
301 00;Plzeň
779 00;Olomouc
261 01;Příbram
370 01;České Budějovice
500 02;Hradec Králové
460 01;Liberec
586 01;Jihlava
""")
_CZ_PHONES = _phones("+420 6## ### ###", "+420 7## ### ###")


def _cz(r: Rand, rich: bool) -> Parts:
    female = _female(r)
    given = _pick(r, _CZ_WOMEN if female else _CZ_MEN)
    surname = _pick(r, _CZ_SURNAMES)[1 if female else 0]
    postal, city = _pick(r, _CZ_CITIES)
    # Czech house numbers: descriptive/orientation ("704/36")
    line1 = f"{_pick(r, _CZ_STREETS)} {_num(r, 100, 2400)}/{_num(r, 1, 60)}"
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}", line1, "",
                        city, "", postal, _CZ_PHONES)


_VN_SURNAMES = _names("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Ngô|Dương")
_VN_GIVEN = _names("Thị Lan|Văn Minh|Thu Trang|Ngọc Anh|Quốc Bảo|Thanh Hương|Hải Yến|Gia Hân|"
                   "Minh Tuấn|Thị Mai|Đức Anh|Khánh Linh|Phương Thảo|Bảo Ngọc|Thùy Dung|Hoàng Nam")
# postal; province-level city; district; wards; streets
_VN_PLACES = tuple((p, a, b, _items(w), _items(s)) for p, a, b, w, s in _rows("""
70000;TP. Hồ Chí Minh;Quận 1;Phường Bến Nghé|Phường Bến Thành|Phường Đa Kao;Lê Lợi|Nguyễn Huệ|Hai Bà Trưng|Đồng Khởi|Pasteur
72400;TP. Hồ Chí Minh;Quận 3;Phường Võ Thị Sáu|Phường 9|Phường 12;Võ Văn Tần|Nam Kỳ Khởi Nghĩa|Cách Mạng Tháng Tám
72300;TP. Hồ Chí Minh;Quận Bình Thạnh;Phường 25|Phường 22|Phường 15;Điện Biên Phủ|Xô Viết Nghệ Tĩnh|Nguyễn Hữu Cảnh
11000;Hà Nội;Quận Hoàn Kiếm;Phường Hàng Bạc|Phường Hàng Trống|Phường Tràng Tiền;Hàng Bạc|Tràng Tiền|Hàng Bài|Lý Thường Kiệt
11300;Hà Nội;Quận Cầu Giấy;Phường Dịch Vọng|Phường Quan Hoa|Phường Yên Hòa;Trần Duy Hưng|Xuân Thủy|Cầu Giấy
50200;Đà Nẵng;Quận Hải Châu;Phường Thạch Thang|Phường Hải Châu I;Bạch Đằng|Trần Phú|Lê Duẩn
94100;Cần Thơ;Quận Ninh Kiều;Phường Tân An|Phường An Cư;Hai Bà Trưng|Nguyễn Trãi
"""))
_VN_PHONES = _phones("+84 90 ### ## ##", "+84 91 ### ## ##", "+84 93 ### ## ##", "+84 98 ### ## ##",
                     "+84 32 ### ## ##", "+84 70 ### ## ##")


def _vn(r: Rand, rich: bool) -> Parts:
    surname, given = _pick(r, _VN_SURNAMES), _pick(r, _VN_GIVEN)
    postal, province, district, wards, streets = _pick(r, _VN_PLACES)
    alley = f"Hẻm {_num(r, 10, 250)} " if r() < 0.25 else ""
    line1 = f"{_num(r, 1, 300)} {alley}{_pick(r, streets)}"
    return _latin_parts(r, f"{surname[0]} {given[0]}", f"{given[1]}.{surname[1]}", line1,
                        _pick(r, wards), district, province, postal, _VN_PHONES)


# --- Latin script, English-speaking checkouts and Thailand ------------------------------

_US_GIVEN = _names("Emily|Michael|Jessica|Ashley|Sarah|Olivia|Madison|Chris|Jennifer|Megan|Kayla|"
                   "Daniel|Grace|Jenny|Hannah|Brianna|Tyler|Sophia|Chloe|Isabella")
_US_SURNAMES = _names("Johnson|Smith|Brown|Davis|Miller|Wilson|Taylor|Anderson|Martinez|Thomas|"
                      "Garcia|Lee|Kim|Park|Nguyen|Rodriguez|Patel|Robinson|Clark|Lewis")
_US_STREETS = _items("Maple Ave|Oak St|Main St|Elm St|Park Ave|Cedar Ln|Washington Blvd|"
                     "Lakeview Dr|Sunset Blvd|Pine St|Wilshire Blvd|Broadway|Highland Ave|2nd St|"
                     "Willow Ct")
# ZIP; city; state; area code; combined sales tax in basis points
_US_CITIES = tuple((z, c, s, a, int(t)) for z, c, s, a, t in _rows("""
90010;Los Angeles;CA;213;950
90036;Los Angeles;CA;323;950
92618;Irvine;CA;949;775
94103;San Francisco;CA;415;863
95112;San Jose;CA;408;938
10001;New York;NY;212;888
10016;New York;NY;646;888
11354;Flushing;NY;718;888
11211;Brooklyn;NY;347;888
07024;Fort Lee;NJ;201;663
98103;Seattle;WA;206;1035
78701;Austin;TX;512;825
77036;Houston;TX;713;825
60614;Chicago;IL;312;1025
30309;Atlanta;GA;404;890
96814;Honolulu;HI;808;450
22003;Annandale;VA;703;600
97205;Portland;OR;503;0
80205;Denver;CO;303;881
33131;Miami;FL;305;700
02115;Boston;MA;617;625
55401;Minneapolis;MN;612;903
"""))


def _us(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _US_GIVEN), _pick(r, _US_SURNAMES)
    zipcode, city, state, area, tax_bp = _pick(r, _US_CITIES)
    kind = r()
    line2 = (f"Apt {_num(r, 1, 30)}{'ABCDEF'[int(r() * 6)]}" if kind < 0.25
             else f"Unit {_num(r, 100, 950)}" if kind < 0.35 else "")
    if r() < 0.2:
        zipcode += f"-{_num(r, 1000, 9999)}"
    phone = f"+1 {area}-555-01{_num(r, 0, 99):02d}"
    line1 = f"{_num(r, 100, 9899)} {_pick(r, _US_STREETS)}"
    return Parts(AddressText(f"{given[0]} {surname[0]}", line1, line2, city, state),
                 None, zipcode, phone, f"{given[1]}.{surname[1]}", tax_bp)


_CA_GIVEN = _names("Emma|Olivia|Liam|Noah|Ava|Ethan|Sophia|Éloïse|Jérôme|Félix|Chloé|Maëlle|"
                   "Benjamin|Léa|Hannah|Lucas")
_CA_SURNAMES = _names("Tremblay|Gagnon|Roy|Côté|Bouchard|Wilson|MacDonald|Leblanc|Chen|Kim|Wong|"
                      "Smith|Martin|Lee|Bélanger|Pelletier")
# city; province; FSAs; area code; streets
_CA_CITIES = tuple((c, p, _items(f), a, _items(s)) for c, p, f, a, s in _rows("""
Toronto;ON;M5V|M4Y|M6J|M2N;416;Yonge St|Queen St W|Bloor St W|Spadina Ave
Mississauga;ON;L5B|L5M;905;Hurontario St|Burnhamthorpe Rd W
Ottawa;ON;K1P|K2P;613;Bank St|Elgin St
Vancouver;BC;V6B|V5K|V6Z;604;Robson St|Granville St|Kingsway
Burnaby;BC;V5H;604;Kingsway|Willingdon Ave
Coquitlam;BC;V3K;604;North Rd|Austin Ave
Montréal;QC;H2X|H3A;514;rue Sainte-Catherine O|boulevard Saint-Laurent|rue Saint-Denis
Québec;QC;G1R;418;rue Saint-Jean|Grande Allée E
Calgary;AB;T2P|T2R;403;17 Ave SW|Macleod Trail SE
Edmonton;AB;T5J;780;Jasper Ave|Whyte Ave
Winnipeg;MB;R3C;204;Portage Ave|Main St
Halifax;NS;B3H;902;Spring Garden Rd|Barrington St
"""))
_CA_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # letters Canada Post uses in postal codes


def _ca(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _CA_GIVEN), _pick(r, _CA_SURNAMES)
    city, province, fsas, area, streets = _pick(r, _CA_CITIES)
    postal = f"{_pick(r, fsas)} {_num(r, 0, 9)}{_pick(r, _CA_LETTERS)}{_num(r, 0, 9)}"
    line2 = f"Apt {_num(r, 101, 2405)}" if r() < 0.4 else ""
    return Parts(AddressText(f"{given[0]} {surname[0]}", f"{_num(r, 1, 2999)} {_pick(r, streets)}",
                             line2, city, province),
                 None, postal, f"+1 {area}-555-01{_num(r, 0, 99):02d}", f"{given[1]}.{surname[1]}")


_GB_GIVEN = _names("Olivia|Amelia|Isla|Jack|Harry|Sophie|Charlotte|George|Chloe|Emily|Freya|"
                   "Oliver|Niamh|Siobhán|Ellie|Jessica")
_GB_SURNAMES = _names("Smith|Jones|Taylor|Williams|Brown|Evans|Wright|Thomas|Roberts|Walker|Patel|"
                      "Khan|Hughes|O'Brien|Murphy|Clarke")
_GB_STREETS = _items("High Street|Church Road|Station Road|Victoria Road|Mill Lane|King's Road|"
                     "Queen's Road|Green Lane|Manor Road|Park Avenue|The Crescent|Albert Street")
_GB_CITIES = tuple((c, _items(o)) for c, o in _rows("""
London;E1|E2|N1|NW1|SE1|SW11|W2|EC1V
Manchester;M1|M4|M14
Birmingham;B1|B15
Leeds;LS1|LS6
Glasgow;G1|G12
Edinburgh;EH1|EH3
Bristol;BS1|BS8
Cardiff;CF10|CF24
Liverpool;L1|L8
Brighton;BN1|BN2
Cambridge;CB1|CB2
Nottingham;NG1|NG7
"""))
_GB_INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # letters Royal Mail uses in the inward code


def _gb(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _GB_GIVEN), _pick(r, _GB_SURNAMES)
    city, outwards = _pick(r, _GB_CITIES)
    postal = f"{_pick(r, outwards)} {_num(r, 0, 9)}{_pick(r, _GB_INWARD)}{_pick(r, _GB_INWARD)}"
    line2 = f"Flat {_num(r, 1, 24)}" if r() < 0.35 else ""
    line1 = f"{_num(r, 1, 240)} {_pick(r, _GB_STREETS)}"
    return Parts(AddressText(f"{given[0]} {surname[0]}", line1, line2, city),
                 None, postal, f"+44 7700 900{_num(r, 0, 999):03d}", f"{given[1]}.{surname[1]}")


_AU_GIVEN = _names("Chloe|Jack|Mia|Ella|Lachlan|Charlotte|Isabella|Zoe|Olivia|Harper|Jasmine|Ruby")
_AU_SURNAMES = _names("Nguyen|Wilson|Thompson|Roberts|Smith|Brown|Chen|Kelly|Kim|Walker|Ryan|"
                      "O'Connor")
_AU_CITIES = tuple((p, c, s, _items(st)) for p, c, s, st in _rows("""
2000;Sydney;NSW;George St|Pitt St|Kent St
2010;Surry Hills;NSW;Crown St|Bourke St
2135;Strathfield;NSW;The Boulevarde|Albert Rd
2150;Parramatta;NSW;Church St|Parramatta Rd
3000;Melbourne;VIC;Elizabeth St|Flinders Ln|Collins St
3128;Box Hill;VIC;Whitehorse Rd|Station St
3181;Prahran;VIC;Chapel St|High St
4000;Brisbane City;QLD;Queen St|Adelaide St
4215;Southport;QLD;Scarborough St|Nerang St
6000;Perth;WA;Hay St|Murray St
5000;Adelaide;SA;King William St|Rundle St
2601;Canberra;ACT;Northbourne Ave|London Cct
7000;Hobart;TAS;Elizabeth St|Liverpool St
"""))
_AU_PHONES = _phones("+61 4## ### ###")


def _au(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _AU_GIVEN), _pick(r, _AU_SURNAMES)
    postal, suburb, state, streets = _pick(r, _AU_CITIES)
    line2 = f"Unit {_num(r, 1, 40)}" if r() < 0.4 else ""
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}",
                        f"{_num(r, 1, 400)} {_pick(r, streets)}", line2, suburb, state, postal,
                        _AU_PHONES)


_SG_SURNAMES = _names("Tan|Lim|Ng|Goh|Wong|Chua|Teo|Koh|Lee|Ong|Chan|Yeo")
_SG_GIVEN = _names("Wei Ling|Jia Hui|Shu Fen|Kai Wen|Xin Yi|Li Ting|Hui Min|Jun Jie|Zhi Hao|Mei Qi")
_SG_ENGLISH = _names("Rachel|Jasmine|Bryan|Cheryl|Vanessa|Joanne|Kelvin|Nicole")
_SG_OTHERS = _names("Nurul Huda binte Rahman|Siti Aishah binte Ismail|Priya Raman|Aarthi Krishnan|"
                    "Muhammad Irfan bin Yusof|Farah Nabilah")
# HDB street; postal sector (first two digits; the rest is the block number)
_SG_STREETS = _rows("""
Ang Mo Kio Ave 3;56
Tampines St 21;52
Bedok North Rd;46
Jurong West St 52;64
Toa Payoh Lor 1;31
Punggol Field;82
Woodlands Dr 14;73
Clementi Ave 2;12
Sengkang East Way;54
Yishun Ring Rd;76
Hougang Ave 8;53
Bukit Batok West Ave 6;65
""")
_SG_PHONES = _phones("+65 8### ####", "+65 9### ####")


def _sg(r: Rand, rich: bool) -> Parts:
    kind = r()
    if kind < 0.7:
        surname, given = _pick(r, _SG_SURNAMES), _pick(r, _SG_GIVEN)
        name, slug = f"{surname[0]} {given[0]}", f"{given[1]}.{surname[1]}"
    elif kind < 0.85:
        surname, given = _pick(r, _SG_SURNAMES), _pick(r, _SG_ENGLISH)
        name, slug = f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}"
    else:
        name, slug = _pick(r, _SG_OTHERS)
    street, sector = _pick(r, _SG_STREETS)
    block = _num(r, 101, 699)
    return _latin_parts(r, name, slug, f"Blk {block} {street}",
                        f"#{_num(r, 2, 25):02d}-{_num(r, 10, 999)}", "Singapore", "",
                        f"{sector}{block:04d}", _SG_PHONES)


_MY_NAMES = _names("Nur Aisyah binti Ahmad|Muhammad Hafiz bin Ismail|Tan Mei Ling|Lim Wei Jie|"
                   "Kavitha a/p Subramaniam|Nurul Izzah binti Hassan|Wong Siew Mei|Chong Kar Wai|"
                   "Farah Nadia binti Zainal|Lee Hui Wen|Amirah binti Rosli|Ng Pei Shan|"
                   "Deepa a/p Rajan|Ooi Jia Xin")
_MY_PLACES = tuple((p, c, s, _items(st)) for p, c, s, st in _rows("""
47300;Petaling Jaya;Selangor;Jalan SS 2/24|Jalan SS 2/75|Jalan 17/1
50450;Kuala Lumpur;Wilayah Persekutuan Kuala Lumpur;Jalan Ampang|Jalan Sultan Ismail
59100;Kuala Lumpur;Wilayah Persekutuan Kuala Lumpur;Jalan Telawi 3|Jalan Maarof
81300;Skudai;Johor;Jalan Pulai 7|Jalan Hang Tuah 3
10050;George Town;Pulau Pinang;Lebuh Chulia|Jalan Burma
40000;Shah Alam;Selangor;Persiaran Perbandaran|Jalan Plumbum 7/102
88000;Kota Kinabalu;Sabah;Jalan Gaya|Jalan Pantai
93350;Kuching;Sarawak;Jalan Tun Jugah|Jalan Song
31400;Ipoh;Perak;Jalan Sultan Azlan Shah|Jalan Tasek
"""))
_MY_TAMAN = _items("Taman Megah|Taman Desa|Taman Sri Muda|Taman Bukit Indah|Taman Melawati")
_MY_PHONES = _phones("+60 12-### ####", "+60 16-### ####", "+60 17-### ####", "+60 11-#### ####")


def _my(r: Rand, rich: bool) -> Parts:
    name, slug = _pick(r, _MY_NAMES)
    postal, city, state, streets = _pick(r, _MY_PLACES)
    line2 = _pick(r, _MY_TAMAN) if r() < 0.5 else ""
    return _latin_parts(r, name, slug, f"No. {_num(r, 1, 120)}, {_pick(r, streets)}",
                        line2, city, state, postal, _MY_PHONES)


# Thai buyers on Shopee Thailand often type in Thai; the brief for this demo is Latin only.
_TH_GIVEN = _names("Siriporn|Nattapong|Kanokwan|Pimchanok|Thanawat|Ploy|Sasithorn|Apinya|Chayanin|"
                   "Warunee|Kittipong|Naphat|Preeyanuch|Jiraporn")
_TH_SURNAMES = _names("Chaiyaporn|Srisuk|Wongsa|Saetang|Boonmee|Rattanakul|Kaewmanee|Thongdee|"
                      "Phromma|Suksawat|Jaidee|Srisawat")
# postal; province; district; subdistrict; streets
_TH_PLACES = tuple((p, a, b, c, _items(s)) for p, a, b, c, s in _rows("""
10110;Bangkok;Watthana;Khlong Toei Nuea;Sukhumvit Soi 23|Sukhumvit Soi 31
10330;Bangkok;Pathum Wan;Lumphini;Ratchadamri Rd|Soi Lang Suan
10400;Bangkok;Phaya Thai;Samsen Nai;Phahonyothin Rd|Soi Ari 4
10310;Bangkok;Huai Khwang;Huai Khwang;Ratchadaphisek Rd|Pracha Rat Bamphen Rd
50200;Chiang Mai;Mueang Chiang Mai;Si Phum;Moon Muang Rd|Ratchadamnoen Rd
20150;Chon Buri;Bang Lamung;Nong Prue;Pattaya Sai 2 Rd|Thappraya Rd
90110;Songkhla;Hat Yai;Hat Yai;Niphat Uthit 3 Rd|Thammanoon Withi Rd
40000;Khon Kaen;Mueang Khon Kaen;Nai Mueang;Mittraphap Rd|Na Mueang Rd
83000;Phuket;Mueang Phuket;Talat Yai;Thalang Rd|Phang Nga Rd
11120;Nonthaburi;Pak Kret;Bang Talat;Chaeng Watthana Rd
"""))
_TH_PHONES = _phones("+66 8# ### ####", "+66 9# ### ####", "+66 6# ### ####")


def _th(r: Rand, rich: bool) -> Parts:
    given, surname = _pick(r, _TH_GIVEN), _pick(r, _TH_SURNAMES)
    postal, province, district, subdistrict, streets = _pick(r, _TH_PLACES)
    line1 = f"{_num(r, 1, 299)}/{_num(r, 1, 80)} {_pick(r, streets)}"
    return _latin_parts(r, f"{given[0]} {surname[0]}", f"{given[1]}.{surname[1]}", line1,
                        subdistrict, district, province, postal, _TH_PHONES)


Builder = Callable[[Rand, bool], Parts]
BUILDERS: dict[str, Builder] = {
    "CN": _cn, "TW": _tw, "HK": _hk, "JP": _jp, "KR": _kr, "RU": _ru, "KZ": _kz,
    "DE": _de, "FR": _fr, "ES": _es, "PL": _pl, "CZ": _cz, "VN": _vn,
    "US": _us, "CA": _ca, "GB": _gb, "AU": _au, "SG": _sg, "MY": _my, "TH": _th,
}

# Delivery notes buyers leave, in the language they write them.
_ENGLISH_NOTES = ("Please leave it at the front desk.",
                  "It's a birthday gift, please leave the receipt out.",
                  "Could you add a free sample? Thank you!", "Please ship ASAP, thanks!")
NOTES: dict[str, tuple[str, ...]] = {
    "CN": ("请尽快发货，谢谢！", "麻烦包装结实一点", "放快递柜就可以"),
    "TW": ("請幫我包裝好，謝謝", "平日晚上才有人收件", "可以放管理室"),
    "HK": ("請盡快寄出，唔該", "請放管理處"),
    "JP": ("置き配希望です", "できれば簡易包装でお願いします", "プレゼント用です"),
    "KR": ("부재 시 문 앞에 놓아주세요", "배송 전 연락 부탁드립니다", "경비실에 맡겨주세요"),
    "RU": ("Пожалуйста, упакуйте надёжно", "Позвоните перед доставкой"),
    "KZ": ("Позвоните перед доставкой",),
    "DE": ("Bitte beim Nachbarn abgeben, falls ich nicht da bin.",),
    "FR": ("Merci de laisser le colis chez le gardien.",),
    "ES": ("Por favor, entregar por la tarde.",),
    "PL": ("Proszę o staranne zapakowanie.",),
    "CZ": ("Prosím zabalit jako dárek.",),
    "VN": ("Giao giờ hành chính giúp mình nhé", "Gọi trước khi giao ạ"),
}


def notes_for(country: str) -> tuple[str, ...]:
    return NOTES.get(country, _ENGLISH_NOTES)


# --- The seller's catalogue ----------------------------------------------------------
# One product per block:
#   sku; category; popularity 1-5; shipping grams per unit; domestic price in KRW; HS; origin
#   title en | ko | zh-Hans | ja          (zh-Hans and ja may be empty)
#   customs wording en | zh-Hans | ja
# HS: 10 digits where the Korean HSK split is the point (3304.99-1000 skin care vs -2000
# make-up, 3303.00-2000 toilet water); sheet masks go to 3307.90, as the Korea Customs
# Service's K-beauty classification guide puts them. Two products have no HS code yet.
# "LUMINA" and "NOVA9" are made-up groups.

class CatalogueRow(NamedTuple):
    sku: str
    category: str  # "beauty", "fashion" or "kpop"
    popularity: int
    grams: int
    krw: int
    hs_code: str
    origin: str
    titles: tuple[str, str, str, str]
    customs: tuple[str, str, str]


def _catalogue(text: str) -> tuple[CatalogueRow, ...]:
    rows = []
    for block in text.strip().split("\n\n"):
        head, titles, customs = (line.strip() for line in block.strip().splitlines())
        cells = (c.strip() for c in head.split(";"))
        sku, category, popularity, grams, krw, hs_code, origin = cells
        rows.append(CatalogueRow(sku, category, int(popularity), int(grams), int(krw), hs_code,
                                 origin, tuple(t.strip() for t in titles.split("|")),
                                 tuple(c.strip() for c in customs.split("|"))))
    return tuple(rows)


CATALOGUE = _catalogue("""
SG-CUSH-21N; beauty; 5; 95; 32000; 3304992000; KR
Glow Fit Cushion Foundation SPF50+ 21N Vanilla | 글로우 핏 쿠션 파운데이션 SPF50+ 21N 바닐라 | 水光气垫粉底 SPF50+ 21N 香草色 | グロウフィット クッションファンデーション SPF50+ 21N バニラ
Make-up foundation cream in cushion compact, 15 g | 气垫粉底霜（彩妆品），15克 | クッションファンデーション（メイクアップ化粧品）15g

SG-CUSH-23N; beauty; 4; 95; 32000; 3304992000; KR
Glow Fit Cushion Foundation SPF50+ 23N Sand | 글로우 핏 쿠션 파운데이션 SPF50+ 23N 샌드 | 水光气垫粉底 SPF50+ 23N 自然色 | グロウフィット クッションファンデーション SPF50+ 23N サンド
Make-up foundation cream in cushion compact, 15 g | 气垫粉底霜（彩妆品），15克 | クッションファンデーション（メイクアップ化粧品）15g

SG-SER-VITC30; beauty; 4; 110; 28000; 3304991000; KR
Vita-C Brightening Serum 30 ml | 비타C 브라이트닝 세럼 30ml | 维C亮白精华液 30ml | ビタC ブライトニングセラム 30ml
Skin care serum (cosmetic), 30 ml | 护肤精华液（化妆品），30毫升 | 美容液（スキンケア化粧品）30ml

SG-MASK-CICA10; beauty; 5; 320; 15000; 330790; KR
Cica Sheet Mask, 10 sheets | 시카 시트 마스크 10매 | 积雪草面膜 10片 | シカ シートマスク 10枚入
Cosmetic sheet masks impregnated with skin care essence, 10 × 25 ml | 化妆品面膜（浸渍护肤精华），10片×25毫升 | シートマスク（美容液含浸、化粧品）25ml×10枚

SG-MASK-HYAL1; beauty; 3; 30; 2000; 330790; KR
Hyaluronic Hydrating Sheet Mask, 1 sheet | 히알루론 수분 시트 마스크 1매 | 玻尿酸补水面膜 1片 | ヒアルロン 保湿シートマスク 1枚
Cosmetic sheet mask impregnated with skin care essence, 25 ml | 化妆品面膜（浸渍护肤精华），25毫升 | シートマスク（美容液含浸、化粧品）25ml

SG-SUN-AQUA50; beauty; 5; 85; 18000; 330499; KR
Aqua Sun Gel SPF50+ PA++++ 50 ml | 아쿠아 선젤 SPF50+ PA++++ 50ml | 水感防晒凝胶 SPF50+ PA++++ 50ml | アクアサンジェル SPF50+ PA++++ 50ml
Sunscreen gel (cosmetic), 50 ml | 防晒凝胶（化妆品），50毫升 | 日焼け止めジェル（化粧品）50ml

SG-SUN-STICK; beauty; 3; 45; 18000; 330499; KR
Airy Sun Stick SPF50+ 19 g | 에어리 선스틱 SPF50+ 19g | 清透防晒棒 SPF50+ 19g | エアリーサンスティック SPF50+ 19g
Sunscreen stick (cosmetic), 19 g | 防晒棒（化妆品），19克 | 日焼け止めスティック（化粧品）19g

SG-TINT-03; beauty; 4; 25; 11000; 330410; KR
Juicy Glow Lip Tint #03 Fig | 쥬시 글로우 립틴트 03 피그 | 水光唇釉 #03 无花果色 | ジューシーグロウ リップティント 03 フィグ
Lip make-up preparation (lip tint), 4 g | 唇部彩妆品（唇釉），4克 | 口紅類（リップティント）4g

SG-TINT-05; beauty; 4; 25; 11000; 3304100000; KR
Juicy Glow Lip Tint #05 Rose | 쥬시 글로우 립틴트 05 로즈 | 水光唇釉 #05 玫瑰色 | ジューシーグロウ リップティント 05 ローズ
Lip make-up preparation (lip tint), 4 g | 唇部彩妆品（唇釉），4克 | 口紅類（リップティント）4g

SG-TINT-08; beauty; 3; 25; 12000; 330410; KR
Velvet Lip Tint #08 Brick | 벨벳 립틴트 08 브릭 | 丝绒唇釉 #08 砖红色 | ベルベットリップティント 08 ブリック
Lip make-up preparation (lip tint), 4 g | 唇部彩妆品（唇釉），4克 | 口紅類（リップティント）4g

SG-EYE-PAL01; beauty; 3; 110; 29000; 330420; KR
9-Colour Eyeshadow Palette 01 Peach | 9색 아이섀도 팔레트 01 피치 | 九色眼影盘 01 蜜桃色 | 9色アイシャドウパレット 01 ピーチ
Eye make-up preparation (eyeshadow palette), 8 g | 眼部彩妆品（眼影盘），8克 | アイメイク用化粧品（アイシャドウ）8g

SG-CLN-FOAM150; beauty; 4; 190; 13000; 340130; KR
Low pH Cleansing Foam 150 ml | 약산성 클렌징 폼 150ml | 弱酸性洁面泡沫 150ml | 弱酸性クレンジングフォーム 150ml
Facial cleansing foam (organic surface-active product), 150 ml | 洁面泡沫（有机表面活性产品），150毫升 | 洗顔フォーム（有機界面活性剤製品）150ml

SG-CLN-OIL200; beauty; 3; 260; 22000; 330499; KR
Deep Cleansing Oil 200 ml | 딥 클렌징 오일 200ml | 深层卸妆油 200ml | ディープクレンジングオイル 200ml
Make-up remover oil (cosmetic), 200 ml | 卸妆油（化妆品），200毫升 | メイク落としオイル（化粧品）200ml

SG-TON-RICE; beauty; 4; 270; 19000; 3304991000; KR
Rice Water Toner 200 ml | 쌀뜨물 토너 200ml | 大米爽肤水 200ml | ライスウォーター化粧水 200ml
Skin care toner (cosmetic lotion), 200 ml | 爽肤水（护肤化妆品），200毫升 | 化粧水（スキンケア化粧品）200ml

SG-CRM-SNAIL; beauty; 4; 160; 25000; 3304991000; KR
Snail Mucin Repair Cream 50 ml | 달팽이 리페어 크림 50ml | 蜗牛修护面霜 50ml | スネイルリペアクリーム 50ml
Skin care cream (cosmetic), 50 ml | 护肤面霜（化妆品），50毫升 | 保湿クリーム（化粧品）50ml

SG-HAND-PEACH; beauty; 2; 65; 6000; 330499; KR
Peach Hand Cream 50 ml | 피치 핸드크림 50ml | 蜜桃护手霜 50ml | ピーチハンドクリーム 50ml
Hand cream (cosmetic), 50 ml | 护手霜（化妆品），50毫升 | ハンドクリーム（化粧品）50ml

SG-SHMP-500; beauty; 3; 580; 18000; 3305100000; KR
Scalp Care Shampoo 500 ml | 두피 케어 샴푸 500ml | 头皮护理洗发水 500ml | スカルプケアシャンプー 500ml
Shampoo, 500 ml | 洗发水，500毫升 | シャンプー 500ml

SG-HAIR-TRT; beauty; 2; 240; 16000; 330590; KR
Protein Hair Treatment 200 ml | 단백질 헤어 트리트먼트 200ml | 蛋白修护发膜 200ml | プロテインヘアトリートメント 200ml
Hair conditioner (hair treatment), 200 ml | 护发素（发膜），200毫升 | ヘアトリートメント（頭髪用化粧品）200ml

SG-MIST-COTTON; beauty; 2; 180; 17000; 3303002000; KR
Cotton Body Mist 100 ml | 코튼 바디 미스트 100ml | 棉花香氛身体喷雾 100ml | コットン ボディミスト 100ml
Toilet water (perfumed body mist, contains alcohol), 100 ml | 花露水类香体喷雾（含酒精），100毫升 | オーデトワレ類ボディミスト（アルコール含有）100ml

SG-NAIL-12; beauty; 2; 45; 8000; 330430; KR
Glossy Nail Colour #12 Milk Tea | 글로시 네일 컬러 12 밀크티 | 亮泽指甲油 #12 奶茶色 | グロッシーネイルカラー 12 ミルクティー
Nail polish (manicure preparation), 10 ml | 指甲油（修甲用品），10毫升 | ネイルカラー（マニキュア用品）10ml

SG-PATCH-SPOT; beauty; 3; 20; 5000; 300510; KR
Spot Care Patch, 36 dots | 스팟 케어 패치 36매 | 祛痘贴 36片 | スポットケアパッチ 36枚
Hydrocolloid adhesive dressings (patches), 36 pcs | 水胶体胶粘敷料（贴片），36片 | ハイドロコロイド粘着性被覆材（パッチ）36枚

SG-SET-HOLIDAY; beauty; 2; 520; 59000; ; KR
Holiday Glow Gift Set (serum, cream, 3 masks) | 홀리데이 글로우 기프트 세트 | 节日水光护肤礼盒 | ホリデーグロウ ギフトセット
Skin care gift set: serum 30 ml, cream 50 ml, 3 sheet masks | 护肤礼盒：精华30毫升、面霜50毫升、面膜3片 | スキンケアギフトセット（美容液30ml、クリーム50ml、シートマスク3枚）

FS-TEE-WHT-M; fashion; 4; 230; 29000; 610910; KR
Oversized Logo T-shirt, White, M | 오버핏 로고 반팔 티셔츠 화이트 M | |
Women's T-shirt, knitted, 100% cotton | 女式针织T恤，100%棉 | 女性用Tシャツ（ニット、綿100%）

FS-TEE-WHT-L; fashion; 3; 240; 29000; 610910; KR
Oversized Logo T-shirt, White, L | 오버핏 로고 반팔 티셔츠 화이트 L | |
Women's T-shirt, knitted, 100% cotton | 女式针织T恤，100%棉 | 女性用Tシャツ（ニット、綿100%）

FS-TEE-BLK-M; fashion; 3; 230; 29000; 610910; KR
Oversized Logo T-shirt, Black, M | 오버핏 로고 반팔 티셔츠 블랙 M | |
Women's T-shirt, knitted, 100% cotton | 女式针织T恤，100%棉 | 女性用Tシャツ（ニット、綿100%）

FS-HOOD-GRY-L; fashion; 3; 650; 59000; 611020; KR
Heavyweight Hoodie, Melange Grey, L | 헤비웨이트 후드티 멜란지 그레이 L | |
Hooded sweatshirt, knitted, 80% cotton 20% polyester | 针织连帽卫衣，80%棉20%涤纶 | パーカー（ニット、綿80%・ポリエステル20%）

FS-DRS-FLR-S; fashion; 2; 320; 69000; 620443; KR
Floral Wrap Midi Dress, S | 플로럴 랩 미디 원피스 S | |
Women's dress, woven, 100% polyester | 女式机织连衣裙，100%涤纶 | 女性用ワンピース（織物、ポリエステル100%）

FS-DRS-LIN-M; fashion; 2; 380; 79000; 620449; KR
Linen Shirt Dress, Beige, M | 린넨 셔츠 원피스 베이지 M | |
Women's dress, woven, 100% linen | 女式机织连衣裙，100%亚麻 | 女性用ワンピース（織物、麻100%）

FS-SKT-PLT-M; fashion; 3; 250; 39000; 620453; KR
Pleated Tennis Skirt, Navy, M | 플리츠 테니스 스커트 네이비 M | |
Women's skirt, woven, 100% polyester | 女式机织半身裙，100%涤纶 | 女性用スカート（織物、ポリエステル100%）

FS-SOCK-5P; fashion; 4; 180; 12000; 611595; KR
Character Crew Socks, 5 pairs | 캐릭터 크루 양말 5켤레 | |
Socks, knitted, 80% cotton, 5 pairs | 针织袜，80%棉，5双 | 靴下（ニット、綿80%）5足

FS-BAG-TOTE; fashion; 3; 300; 25000; 420222; KR
Canvas Tote Bag, Ivory | 캔버스 토트백 아이보리 | |
Tote bag with outer surface of textile (cotton canvas) | 手提包，外表面为纺织材料（棉帆布） | トートバッグ（外面：綿キャンバス）

FS-BAG-MINI; fashion; 2; 420; 89000; 420221; CN
Mini Leather Crossbody Bag, Black | 미니 레더 크로스백 블랙 | |
Handbag with outer surface of leather | 手提包，外表面为皮革 | ハンドバッグ（外面：革）

FS-HAT-BKT; fashion; 3; 110; 25000; 650500; KR
Cotton Bucket Hat, Beige | 코튼 버킷햇 베이지 | |
Hat made up from cotton fabric (bucket hat) | 棉布制帽（渔夫帽） | 帽子（綿織物製、バケットハット）

FS-CLAW-PRL; fashion; 3; 30; 9000; 961519; KR
Pearl Hair Claw Clip | 진주 헤어 집게핀 | |
Hair claw clip of plastics with imitation pearls | 塑料发夹（仿珍珠装饰） | ヘアクリップ（プラスチック製、模造真珠付き）

FS-EAR-HEART; fashion; 2; 15; 15000; 711719; KR
Heart Drop Earrings, Silver-plated | 하트 드롭 귀걸이 은도금 | |
Imitation jewellery earrings of base metal, silver-plated | 贱金属镀银仿首饰耳环 | 模造身辺細貨類 イヤリング（卑金属、銀めっき）

KP-ALB-LUM3-PB; kpop; 5; 520; 19800; 852349; KR
LUMINA 3rd Mini Album 'Bloom' (Photobook ver.) | 루미나 미니 3집 'Bloom' (포토북 버전) | | LUMINA 3rdミニアルバム『Bloom』フォトブック盤
Music CD (recorded optical disc) with photobook | 音乐CD（已录制光盘）附写真集 | 音楽CD（記録済み光ディスク）写真集付き

KP-ALB-LUM3-DG; kpop; 4; 180; 13500; 852349; KR
LUMINA 3rd Mini Album 'Bloom' (Digipack ver.) | 루미나 미니 3집 'Bloom' (디지팩 버전) | | LUMINA 3rdミニアルバム『Bloom』デジパック盤
Music CD (recorded optical disc) in digipack | 音乐CD（已录制光盘），纸盒包装 | 音楽CD（記録済み光ディスク）デジパック

KP-ALB-NOVA1; kpop; 4; 610; 22000; 852349; KR
NOVA9 1st Album 'Orbit' (random ver.) | 노바나인 정규 1집 'Orbit' (랜덤 버전) | | NOVA9 1stアルバム『Orbit』（ランダム盤）
Music CD (recorded optical disc) with photobook | 音乐CD（已录制光盘）附写真集 | 音楽CD（記録済み光ディスク）写真集付き

KP-LS-LUM2; kpop; 3; 380; 49000; 851310; CN
LUMINA Official Light Stick Ver.2 | 루미나 공식 응원봉 Ver.2 | | LUMINA 公式ペンライト Ver.2
Portable battery-operated LED lamp (light stick), batteries not included | 便携式电池LED灯（应援棒），不含电池 | 携帯用電池式LEDライト（ペンライト）電池なし

KP-PC-LUM-SET; kpop; 4; 30; 12000; 491191; KR
LUMINA Photo Card Set, 8 cards | 루미나 포토카드 세트 8매 | | LUMINA フォトカードセット 8枚
Printed photographs (photo cards), 8 pcs | 印刷照片（小卡），8张 | 印刷写真（フォトカード）8枚

KP-POS-LUM-A2; kpop; 2; 90; 6000; 491191; KR
LUMINA Folded Poster A2 | 루미나 접지 포스터 A2 | | LUMINA 折りポスター A2
Printed poster (picture) on paper | 纸质印刷海报 | 印刷ポスター（紙製）

KP-BIND-A5; kpop; 3; 280; 18000; 482050; KR
Photo Card Binder A5, 20 sleeves | 포토카드 바인더 A5 20매 | | フォトカードバインダー A5 20枚
Collector's album (binder) of paperboard with plastic sleeves | 收藏册（纸板活页夹附塑料内页） | コレクション用アルバム（板紙製バインダー、プラスチックポケット付き）

KP-ACR-HAEUN; kpop; 3; 70; 15000; 392640; KR
LUMINA Acrylic Stand, Haeun | 루미나 아크릴 스탠드 하은 | | LUMINA アクリルスタンド ハウン
Acrylic display stand (ornamental article of plastics) | 亚克力立牌（塑料装饰品） | アクリルスタンド（プラスチック製装飾品）

KP-KEYR-PLUSH; kpop; 3; 60; 16000; ; KR
LUMINA Plush Keyring | 루미나 인형 키링 | | LUMINA ぬいぐるみキーリング
Plush toy keyring (stuffed toy, polyester) | 毛绒玩具钥匙扣（涤纶填充玩具） | ぬいぐるみキーホルダー（ポリエステル製）

KP-SG-2025; kpop; 2; 900; 38000; 491000; KR
LUMINA 2025 Season's Greetings | 루미나 2025 시즌 그리팅 | | LUMINA 2025 シーズングリーティング
Printed calendar with photobook and stickers | 印刷日历（附写真集和贴纸） | 印刷カレンダー（写真集・ステッカー付き）
""")

# Listings still live on a platform for products the seller has since renamed or dropped:
# they arrive with SKUs the catalogue no longer knows.
LEGACY_LISTINGS = _rows("""
SG-CUSH-21;Glow Fit Cushion 21 Vanilla (2023 packaging);30000
SG-TINT-02;Juicy Glow Lip Tint #02 Peach (discontinued);10000
KP-ALB-LUM2-PB;LUMINA 2nd Mini Album 'Spark' (Photobook ver.);19800
FS-TEE-WHT-XS;Oversized Logo T-shirt, White, XS;29000
SG-MASK-CICA5;Cica Sheet Mask, 5 sheets (old listing);8000
""")

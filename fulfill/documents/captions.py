"""The words printed on customs papers: invoice headings in English plus the destination's
language, the UPU's English/French captions for CN 22/CN 23, and country names as posts print
them.

Invoice captions are kept per key and language so a heading prints "Invoice No. / 发票号码"
on a Chinese invoice and "Invoice No." on an English-only one.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from fulfill.documents.errors import DocumentError
from fulfill.domain import ItemCategory

ENGLISH = "en"
LANGUAGES = (ENGLISH, "zh-Hans", "zh-Hant", "ja", "ko")

# The second language of an invoice for a destination; every other country gets English only.
LANGUAGE_BY_COUNTRY = {"CN": "zh-Hans", "TW": "zh-Hant", "HK": "zh-Hant", "MO": "zh-Hant",
                       "JP": "ja", "KR": "ko"}

# The babel locale that formats money and names countries for a document language.
BABEL_LOCALES = {ENGLISH: "en_US", "zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_TW",
                 "ja": "ja_JP", "ko": "ko_KR"}


def language_for(country_code: str, override: str | None = None) -> str:
    """The invoice's document language: `override` when given, else the destination's."""
    if override is None:
        return LANGUAGE_BY_COUNTRY.get(country_code, ENGLISH)
    if override not in LANGUAGES:
        raise DocumentError(f"Invoices are not made in {override!r}.",
                            f"Choose one of {', '.join(LANGUAGES)}.")
    return override


@lru_cache(maxsize=None)
def locale_for(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


# key -> (English, Simplified Chinese, Traditional Chinese, Japanese, Korean)
_INVOICE: dict[str, tuple[str, str, str, str, str]] = {
    "title": ("COMMERCIAL INVOICE", "商业发票", "商業發票", "コマーシャル・インボイス", "상업 송장"),
    "continued": ("continued", "续页", "續頁", "続き", "계속"),
    "page": ("Page", "页", "頁", "ページ", "페이지"),
    "invoice_no": ("Invoice No.", "发票号码", "發票號碼", "インボイス番号", "송장 번호"),
    "invoice_date": ("Invoice date", "发票日期", "發票日期", "発行日", "발행일"),
    "order_no": ("Order No.", "订单号", "訂單編號", "注文番号", "주문 번호"),
    "channel": ("Sales channel", "销售渠道", "銷售通路", "販売チャネル", "판매 채널"),
    "tracking": ("Tracking No.", "运单号", "追蹤號碼", "追跡番号", "운송장 번호"),
    "carrier": ("Carrier / service", "承运商 / 服务", "貨運商 / 服務", "運送会社 / サービス",
                "운송사 / 서비스"),
    "incoterm": ("Terms of sale (Incoterms® 2020)", "贸易术语", "貿易條件", "取引条件",
                 "인도 조건"),
    "reason": ("Reason for export", "出口原因", "出口原因", "輸出理由", "수출 사유"),
    "exporter": ("Exporter (shipper)", "出口商（发货人）", "出口商（寄件人）", "輸出者（荷送人）",
                 "수출자 (발송인)"),
    "consignee": ("Consignee (ship to)", "收货人", "收件人", "荷受人", "수하인 (수취인)"),
    "latin": ("Consignee in Latin letters", "收货人（拉丁字母）", "收件人（拉丁字母）",
              "荷受人（ローマ字）", "수하인 (로마자)"),
    "phone": ("Tel.", "电话", "電話", "電話", "전화"),
    "email": ("Email", "电子邮件", "電子郵件", "メール", "이메일"),
    "business_no": ("Business registration No.", "营业执照号", "營業登記號碼", "事業者登録番号",
                    "사업자등록번호"),
    "customs_code": ("Exporter customs code", "出口商海关编码", "出口商海關編碼", "輸出者税関コード",
                     "통관고유부호"),
    "tax_id": ("Exporter tax No. for destination", "出口商目的国税号", "出口商目的國稅號",
               "輸出者の仕向国税番号", "수출자 도착국 세금 번호"),
    "currency": ("Currency", "币种", "幣別", "通貨", "통화"),
    "packages": ("Packages", "件数", "件數", "個数", "포장 수"),
    "net_weight": ("Total net weight", "总净重", "總淨重", "総正味重量", "총 순중량"),
    "gross_weight": ("Total gross weight", "总毛重", "總毛重", "総重量", "총 중량"),
    "destination": ("Country of destination", "目的国", "目的國", "仕向国", "도착국"),
    "col_no": ("No.", "序号", "項次", "番号", "번호"),
    "col_description": ("Description of goods", "货物描述", "貨物描述", "品名", "품명"),
    "col_hs": ("HS code", "HS编码", "HS編碼", "HSコード", "HS 코드"),
    "col_origin": ("Origin", "原产国", "原產地", "原産国", "원산지"),
    "col_qty": ("Qty", "数量", "數量", "数量", "수량"),
    "col_unit_weight": ("Unit net kg", "单位净重", "單位淨重", "単位正味kg", "단위 순중량"),
    "col_unit_value": ("Unit value", "单价", "單價", "単価", "단가"),
    "col_value": ("Amount", "金额", "金額", "金額", "금액"),
    "goods_value": ("Goods value", "货物价值", "貨物價值", "商品価額", "물품 가액"),
    "shipping": ("Shipping (freight)", "运费", "運費", "送料", "운임"),
    "total": ("Total", "合计", "合計", "合計", "합계"),
    "declaration": (
        "I hereby certify that the information on this invoice is true and correct and that "
        "the contents of this shipment are as stated above.",
        "本人特此证明，本发票所列信息真实无误，本批货物的内容与上述申报相符。",
        "本人特此證明，本發票所列資訊真實無誤，本批貨物的內容與上述申報相符。",
        "本インボイスに記載された情報は真実かつ正確であり、本貨物の内容は上記のとおりであることを証明します。",
        "본인은 이 송장에 기재된 정보가 사실이며 정확하고, 이 화물의 내용물이 위에 기재된 바와 같음을 "
        "증명합니다."),
    "signatory": ("Name of signatory", "签署人姓名", "簽署人姓名", "署名者氏名", "서명자 성명"),
    "signature": ("Signature", "签名", "簽名", "署名", "서명"),
    "date": ("Date", "日期", "日期", "日付", "일자"),
    # Reasons for export, one per ItemCategory value.
    "sale_of_goods": ("Sale of goods", "货物销售", "貨物銷售", "商品の販売", "상품 판매"),
    "gift": ("Gift", "礼品", "禮品", "贈答品", "선물"),
    "commercial_sample": ("Commercial sample", "商业样品", "商業樣品", "商業見本", "상업 견본"),
    "documents": ("Documents", "文件", "文件", "書類", "서류"),
    "returned_goods": ("Returned goods", "退回货物", "退回貨物", "返品", "반송 물품"),
    "other": ("Other", "其他", "其他", "その他", "기타"),
}

_COLUMN = {language: index for index, language in enumerate(LANGUAGES)}


def translation(key: str, language: str) -> str | None:
    """The caption in `language` alone, or None for English."""
    if language == ENGLISH:
        return None
    return _INVOICE[key][_COLUMN[language]]


def caption(key: str, language: str, separator: str = " / ") -> str:
    """"Invoice No. / 发票号码", or the English alone on an English-only invoice."""
    english = _INVOICE[key][0]
    other = translation(key, language)
    return f"{english}{separator}{other}" if other else english


def reason(category: ItemCategory, language: str) -> str:
    return caption(str(category), language)


# UPU captions for CN 22 / CN 23: key -> (English, French), as the forms print them.
_POSTAL: dict[str, tuple[str, str]] = {
    "declaration": ("CUSTOMS DECLARATION", "DÉCLARATION EN DOUANE"),
    "opened": ("May be opened officially", "Peut être ouvert d'office"),
    "operator": ("Designated operator", "Opérateur désigné"),
    "item_no": ("No. of item (barcode, if any)", "N° de l'envoi (code à barres, s'il existe)"),
    "item_no22": ("No. of item", "N° de l'envoi"),
    "category": ("Category of item", "Catégorie de l'envoi"),
    "from": ("From", "De"),
    "to": ("To", "À"),
    "sender_ref": ("Sender's customs reference (if any)",
                   "Référence en douane de l'expéditeur (si elle existe)"),
    "importer_ref": ("Importer reference (if any) (tax code/VAT No./importer code)",
                     "Référence de l'importateur (si elle existe) (code fiscal/n° de TVA)"),
    "importer_contact": ("Importer telephone/e-mail (if known)",
                         "Téléphone/e-mail de l'importateur (si connus)"),
    "description22": ("Quantity and detailed description of contents",
                      "Quantité et description détaillée du contenu"),
    "description": ("Detailed description of contents", "Description détaillée du contenu"),
    "quantity": ("Quantity", "Quantité"),
    "net_weight": ("Net weight (kg)", "Poids net (kg)"),
    "weight": ("Weight (kg)", "Poids (kg)"),
    "value": ("Value", "Valeur"),
    "hs": ("HS tariff number", "N° tarifaire du SH"),
    "origin": ("Country of origin", "Pays d'origine"),
    "total_weight": ("Total weight (kg)", "Poids total (kg)"),
    "total_gross": ("Total gross weight (kg)", "Poids brut total (kg)"),
    "total_value": ("Total value", "Valeur totale"),
    "postal_charges": ("Postal charges/Fees", "Frais de port/Frais"),
    "office": ("Office of origin/Date of posting", "Bureau d'origine/Date de dépôt"),
    "explanation": ("Explanation", "Explication"),
    "comments": ("Comments: e.g. goods subject to quarantine, sanitary/phytosanitary "
                 "inspection or other restrictions",
                 "Observations : p. ex. marchandises soumises à la quarantaine, à des contrôles "
                 "sanitaires/phytosanitaires ou à d'autres restrictions"),
    "licence": ("Licence No(s).", "N°(s) de licence"),
    "certificate": ("Certificate No(s).", "N°(s) de certificat"),
    "invoice": ("Invoice No.", "N° de la facture"),
    "signature": ("Date and sender's signature", "Date et signature de l'expéditeur"),
    "sheet": ("Sheet", "Feuille"),
    "all_sheets": ("all sheets", "toutes les feuilles"),
    "commercial_only": ("for commercial items", "pour les envois commerciaux"),
    "certify22": (
        "I, the undersigned, whose name and address are given on the item, certify that the "
        "particulars given in this declaration are correct and that this item does not contain "
        "any dangerous article or articles prohibited by legislation or by postal or customs "
        "regulations.",
        "Je, soussigné, dont le nom et l'adresse figurent sur l'envoi, certifie que les "
        "renseignements donnés dans la présente déclaration sont exacts et que cet envoi ne "
        "contient aucun objet dangereux ou interdit par la législation ou la réglementation "
        "postale ou douanière."),
    "certify23": (
        "I certify that the particulars given in this customs declaration are correct and that "
        "this item does not contain any dangerous article or articles prohibited by legislation "
        "or by postal or customs regulations.",
        "Je certifie que les renseignements donnés dans la présente déclaration en douane sont "
        "exacts et que cet envoi ne contient aucun objet dangereux ou interdit par la "
        "législation ou la réglementation postale ou douanière."),
}


def postal(key: str, separator: str = " / ") -> str:
    """"Quantity / Quantité": the UPU's English and French caption."""
    english, french = _POSTAL[key]
    return english if english == french else f"{english}{separator}{french}"


def postal_parts(key: str) -> tuple[str, str]:
    return _POSTAL[key]


# Country names as post offices print them, where CLDR's everyday English name is not that.
_POSTAL_COUNTRY_NAMES = {
    "HK": "Hong Kong", "MO": "Macao", "KR": "Republic of Korea", "US": "United States",
    "CZ": "Czech Republic", "VN": "Viet Nam", "RU": "Russian Federation",
}


@lru_cache(maxsize=1024)
def country_name(code: str, language: str = ENGLISH) -> str:
    """The country's name in English (as posts print it) or in a document language."""
    if language == ENGLISH:
        return _POSTAL_COUNTRY_NAMES.get(code) or Locale("en").territories.get(code, code)
    return locale_for(language).territories.get(code, code)

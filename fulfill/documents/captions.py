"""The words printed on customs papers: invoice headings in English plus the destination's
language, the UPU's English/French captions for CN 22/CN 23, the RMA slip's words for the
buyer, and country names as posts print them.

Captions are kept per key and language so a heading prints "Invoice No. / 发票号码" on a
Chinese invoice, "Invoice No." on an English-only one, and "Invoice No. / インボイス番号 /
송장 번호" on the papers of a parcel coming back from Japan to Korea.
"""

from __future__ import annotations

from collections.abc import Sequence
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

# Returns: the RMA slip the buyer puts in the parcel, and the papers of a parcel coming back.
# "{code}" is the RMA code, filled in when printed.
_RETURNS: dict[str, tuple[str, str, str, str, str]] = {
    "slip_title": ("RETURN SLIP", "退货单", "退貨單", "返品伝票", "반품 전표"),
    "rma_code": ("Return No. (RMA)", "退货编号", "退貨編號", "返品番号", "반품 번호"),
    "return_to": ("Return to (addressee)", "退货地址（收件人）", "退貨地址（收件人）",
                  "返送先（宛先）", "반품 받는 곳 (수취인)"),
    "sender_buyer": ("From (you, the sender)", "寄件人（您）", "寄件人（您）",
                     "差出人（お客様）", "보내는 분 (고객님)"),
    "original_order": ("Original order No.", "原订单号", "原訂單編號", "元の注文番号",
                       "원 주문 번호"),
    "order_date": ("Order date", "下单日期", "訂購日期", "注文日", "주문일"),
    "return_kind": ("Type of return", "退货类型", "退貨類型", "返品の種類", "반품 유형"),
    "return_reason": ("Reason", "原因", "原因", "理由", "사유"),
    "postage_by": ("Return postage paid by", "退货运费承担方", "退貨運費負擔方", "返送料の負担",
                   "반송 배송비 부담"),
    "kind_return": ("Return for refund", "退货退款", "退貨退款", "返金のための返品", "환불 반품"),
    "kind_exchange": ("Exchange", "换货", "換貨", "交換", "교환"),
    "reason_wrong_size": ("Wrong size", "尺码不合适", "尺寸不合", "サイズ違い", "사이즈 불일치"),
    "reason_damaged": ("Damaged", "商品损坏", "商品損壞", "破損", "파손"),
    "reason_wrong_item": ("Wrong item sent", "发错商品", "寄錯商品", "誤配送（別の商品）",
                          "오배송 (다른 상품)"),
    "reason_not_as_described": ("Not as described", "与描述不符", "與描述不符", "説明と異なる",
                                "상품 설명과 다름"),
    "reason_changed_mind": ("Change of mind", "个人原因", "個人因素", "お客様都合", "단순 변심"),
    "reason_never_arrived": ("Never arrived", "未收到货", "未收到貨", "未着", "미도착"),
    "reason_other": ("Other", "其他", "其他", "その他", "기타"),
    "postage_seller": ("We pay (the seller)", "卖家承担", "賣家負擔", "当店負担", "판매자 부담"),
    "postage_buyer": ("You pay (the buyer)", "买家承担", "買家負擔", "お客様負担", "구매자 부담"),
    "postage_platform": ("Marketplace return label", "平台退货面单", "平台退貨標籤",
                         "マーケットプレイスの返品ラベル", "마켓플레이스 반품 라벨"),
    "items_returned": ("Items being returned", "退回商品", "退回商品", "返品する商品",
                       "반품 상품"),
    "col_sku": ("SKU", "商品编码", "商品編號", "商品コード", "상품 코드"),
    "col_item": ("Item", "商品", "商品", "商品", "상품"),
    "pieces": ("{count} pieces", "共 {count} 件", "共 {count} 件", "計 {count} 点", "총 {count}개"),
    "what_to_do": ("What to do", "退货步骤", "退貨步驟", "ご返品の手順", "반품 방법"),
    "step_slip": ("Put this slip in the parcel with the items.",
                  "请将本单与商品一起放入包裹。", "請將本單與商品一起放入包裹。",
                  "この伝票を商品と一緒に小包に入れてください。",
                  "이 전표를 상품과 함께 소포에 넣어 주세요."),
    "step_code": ("Write {code} clearly on the outside of the parcel.",
                  "请在包裹外侧清楚写上 {code}。", "請在包裹外側清楚寫上 {code}。",
                  "小包の外側に {code} とはっきり書いてください。",
                  "소포 겉면에 {code}를 잘 보이게 적어 주세요."),
    "step_send": ("Send the parcel to the address under “Return to” above.",
                  "请将包裹寄往上方的“退货地址”。", "請將包裹寄往上方的「退貨地址」。",
                  "上記の「返送先」の住所へ小包を送ってください。",
                  "위의 ‘반품 받는 곳’ 주소로 소포를 보내 주세요."),
    "step_customs": ("Attach the enclosed customs declaration and invoice to the outside of "
                     "the parcel: category “Returned goods”.",
                     "请将随附的海关申报单和发票贴在包裹外侧，类别为“退回货物”。",
                     "請將隨附的海關申報單和發票貼在包裹外側，類別為「退回貨物」。",
                     "同封の税関告知書とインボイスを小包の外側に貼ってください。種別は「返品」です。",
                     "동봉된 세관 신고서와 송장을 소포 겉면에 붙여 주세요 (구분: 반송 물품)."),
    "step_receipt": ("Keep the postage receipt and tracking number, and send us the tracking "
                     "number.",
                     "请保留邮寄收据和运单号，并将运单号发给我们。",
                     "請保留郵寄收據和追蹤號碼，並將追蹤號碼告知我們。",
                     "送料の領収書と追跡番号を保管し、追跡番号を当店までお知らせください。",
                     "우편 영수증과 운송장 번호를 보관하시고, 운송장 번호를 저희에게 알려 주세요."),
    "contact": ("Questions, and the tracking number, to", "如有疑问及告知运单号，请联系",
                "如有疑問及告知追蹤號碼，請聯絡", "お問い合わせ・追跡番号のご連絡先",
                "문의 및 운송장 번호 연락처"),
    # The papers of a parcel coming back to the seller.
    "return_invoice": ("PRO FORMA INVOICE — RETURNED GOODS", "形式发票（退回货物）",
                       "形式發票（退回貨物）", "プロフォーマ・インボイス（返品）",
                       "프로포마 인보이스 (반송 물품)"),
    "return_no": ("Return No.", "退货编号", "退貨編號", "返品番号", "반품 번호"),
    "exporter_buyer": ("Exporter (sender of the return)", "出口商（退货寄件人）",
                       "出口商（退貨寄件人）", "輸出者（返品の差出人）", "수출자 (반품 발송인)"),
    "exporter_latin": ("Exporter in Latin letters", "出口商（拉丁字母）", "出口商（拉丁字母）",
                       "輸出者（ローマ字）", "수출자 (로마자)"),
    "consignee_seller": ("Consignee (importer, original seller)", "收货人（进口商，原卖家）",
                         "收件人（進口商，原賣家）", "荷受人（輸入者・元の販売者）",
                         "수하인 (수입자, 원 판매자)"),
    "importer_code": ("Importer customs code", "进口商海关编码", "進口商海關編碼",
                      "輸入者税関コード", "통관고유부호 (수입자)"),
    "original_export": ("Proof of original export (duty relief on re-import)",
                        "原出口证明（复进口免税）", "原出口證明（復進口免稅）",
                        "原輸出の証明（再輸入免税）", "원 수출 증빙 (재수입 면세)"),
}

_WORDS = {**_INVOICE, **_RETURNS}
_COLUMN = {language: index for index, language in enumerate(LANGUAGES)}


def translation(key: str, language: str) -> str | None:
    """The caption in `language` alone, or None for English."""
    if language == ENGLISH:
        return None
    return _WORDS[key][_COLUMN[language]]


def caption(key: str, language: str, separator: str = " / ") -> str:
    """"Invoice No. / 发票号码", or the English alone on an English-only invoice."""
    english = _WORDS[key][0]
    other = translation(key, language)
    return f"{english}{separator}{other}" if other else english


def captions(key: str, languages: Sequence[str], separator: str = " / ") -> str:
    """The English caption then each of `languages` (English ones and repeats left out):
    "Invoice No. / インボイス番号 / 송장 번호" on the papers of a parcel from Japan to Korea."""
    words = [_WORDS[key][0]]
    for language in languages:
        other = translation(key, language)
        if other and other not in words:
            words.append(other)
    return separator.join(words)


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

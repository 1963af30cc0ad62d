#!/usr/bin/env python3
"""make-corpus.py OUTDIR - write the labelled policy corpus into OUTDIR.

The corpus tests the shipped policies (policy/article3.policy, policy/contracts.policy)
through `eseal classify`: short, realistic documents in Chinese (simplified and traditional)
and English, as .txt (UTF-8, GB18030, Big5), .pdf (text rendered by pango-view with a CJK
font), .docx and .odt, with the categories each one must get in OUTDIR/labels.tsv:

    file<TAB>categories, comma-separated, or "none"

It holds the Article 3 exclusions (art. 3(1) personal relationships: marriage, divorce,
adoption, wills, inheritance, guardianship, support; art. 3(2) notices stopping water,
heating, gas or electricity), contracts, agreements and purchase orders, and ordinary
business documents -- among them the traps the vocabularies must not fall into: contract
boilerplate on "heirs, successors and assigns" / 继承人, a supplier stopping supply of goods
(停止供货), heating equipment purchases, gas station leases, force-majeure lists of
停水、停电, HR leave rules with 婚假 / "marriage leave", "adoption" of an accounting
standard, "will" as a modal verb, cultural heritage (文化遗产), privacy policies that ask for
a guardian's consent, ECG monitors (心电监护仪), a lease that lets the landlord 暂停供电 and
恢复供电, a property-services contract quoting Civil Code art. 944, an emergency plan for
power cuts, loan checklists asking for a 结婚证 or a "divorce decree", an adoption-leave
policy.  File names are sometimes telling and sometimes neutral ("doc1.docx"), so that the
content has to decide.  Big5 files have telling names: a bare Big5 file has no charset, and
the extractor reads non-UTF-8 text as GB18030.

Nothing is random: the same OUTDIR contents come out every time (zip members carry a fixed
date, PDFs a fixed creation date).  Only the standard library is used; PDFs need
`pango-view` (Debian package pango1.0-tools) and a CJK font (fonts-noto-cjk): without
pango-view the PDFs are skipped, with a note on stderr, and left out of labels.tsv.

Exit 0 when the corpus was written, 1 on an error.
"""
import os
import re
import shutil
import subprocess
import sys
import zipfile
from xml.sax.saxutils import escape

PR = "personal-relationship"
UT = "utility-cessation"
CO = "contract"

# (file name, kind, expected categories, text).  kind: txt (UTF-8), gb18030, big5, pdf,
# pdf-narrow (a narrow column, as on a notice board: line breaks cut words, here 暂\n停供气),
# docx, docx-runs (paragraphs cut into several runs, as Word does), odt, odt-spans (bold
# spans and <text:s/>).
DOCS = []


def doc(name, kind, cats, text):
    DOCS.append((name, kind, list(cats), text.strip("\n")))


# ---------------------------------------------------------------------------------------
# Art. 3(1): marriage, divorce, adoption, inheritance, wills, guardianship, support.
# An agreement among them (divorce, adoption, support, estate division) is also a contract.
# ---------------------------------------------------------------------------------------
doc("离婚协议书.docx", "docx-runs", [PR, CO], """
离婚协议书
男方：张伟，男，汉族，1985年3月12日出生，身份证号码：110105198503120000。
女方：李娜，女，汉族，1987年7月8日出生，身份证号码：110105198707080000。
男女双方于2012年5月20日在北京市朝阳区民政局办理结婚登记。因性格不合，感情确已破裂，经双方平等协商，自愿离婚，并就子女抚养、夫妻共同财产分割及债务承担等事项达成如下协议：
一、男女双方自愿解除婚姻关系。
二、子女抚养：婚生子张小明（2014年出生）由女方直接抚养，男方每月支付抚养费人民币3000元，至孩子年满十八周岁止。男方享有探望权，每月可探望两次。
三、夫妻共同财产：位于朝阳区的住房一套归女方所有，女方给付男方房屋折价款人民币80万元；车辆一辆归男方所有。
四、夫妻共同债务：无。婚姻关系存续期间各自以个人名义所负债务由个人承担。
五、本协议一式三份，男女双方各执一份，婚姻登记机关存档一份，自婚姻登记机关颁发离婚证之日起生效。
男方（签名）：　　　　　　女方（签名）：
2024年6月3日
""")

doc("doc1.pdf", "pdf", [PR, CO], """
离婚协议
甲方：王强　　乙方：赵敏
甲乙双方于2016年登记结婚，现因夫妻感情破裂，双方自愿协议离婚，经协商一致订立本协议：
1. 双方同意解除婚姻关系，共同到婚姻登记机关申请离婚登记。
2. 双方婚后未生育子女。
3. 婚前财产归各自所有；夫妻共同财产中的存款人民币二十万元，双方各得一半。
4. 本协议经双方签字并经婚姻登记机关登记后生效。
甲方签字：　　　　　乙方签字：
""")

doc("scan_0012.txt", "txt", [PR], """
申请结婚登记声明书
本人姓名：陈晓东，性别：男，出生日期：1992年4月1日，国籍：中国。
本人与刘佳（女，1994年9月2日出生）自愿结婚，依照《中华人民共和国民法典》的规定，现向婚姻登记机关申请结婚登记。
本人声明：本人没有配偶，与对方没有直系血亲和三代以内旁系血亲关系，上述声明完全真实，如有虚假，愿承担法律责任。
声明人：陈晓东（签名并按指纹）
监誓人：婚姻登记员　王丽
2024年5月20日
""")

doc("收养协议.txt", "gb18030", [PR, CO], """
收养协议书
送养人：周建国（被收养人之父），住址：湖南省长沙市岳麓区。
收养人：吴立新、郑美华夫妇，住址：湖南省株洲市天元区。
被收养人：周小雨，女，2019年10月出生。
经送养人与收养人协商一致，根据《中华人民共和国民法典》婚姻家庭编有关收养的规定，订立本协议：
一、送养人自愿将被收养人送养给收养人，收养人自愿收养。收养关系自民政部门办理收养登记之日起成立。
二、收养关系成立后，被收养人与送养人之间的权利义务关系消除，收养人依法履行抚养、教育和保护被收养人的义务。
三、被收养人随收养人姓吴，改名吴雨。
四、本协议一式三份，送养人、收养人各执一份，收养登记机关存档一份。
送养人（签名）：　　　　收养人（签名）：
""")

doc("证明材料.odt", "odt", [PR], """
收养登记证
收养人：孙海涛，男，1980年2月出生；林静，女，1982年9月出生。
被收养人：孙乐乐，男，2020年3月出生。
送养人：某市社会福利院。
经审查，该收养符合《中华人民共和国民法典》的规定，准予登记，发给此证。收养关系自登记之日起成立。
登记机关：某市民政局（印章）
登记日期：2023年11月6日　　收养登记员：李华
""")

doc("遗嘱.pdf", "pdf", [PR], """
遗嘱
立遗嘱人：黄德明，男，1948年6月出生，住上海市徐汇区。
我现年七十六岁，神志清醒，为避免身后子女因遗产继承发生纠纷，特立本遗嘱，对我所有的财产作如下处理：
一、位于上海市徐汇区某路某号的房屋一套，由长子黄建华继承。
二、我名下在中国工商银行的存款，由长女黄丽与次子黄建国平均继承。
三、本人收藏的字画二十幅遗赠给上海市某博物馆。
四、指定长子黄建华为遗嘱执行人。
本遗嘱一式三份，由本人亲笔书写，并于公证处办理遗嘱公证。
立遗嘱人：黄德明（签名）
2024年1月15日
""")

doc("家庭财产分配.docx", "docx-runs", [PR, CO], """
遗产分割协议书
被继承人：刘振华，于2023年8月2日因病去世，生前未立遗嘱。
继承人：刘芳（长女）、刘军（长子）、王秀英（配偶）。被继承人的父母均已先于其去世。
上述继承人均为第一顺序继承人，经协商一致，就被继承人遗留的遗产分割达成协议如下：
一、位于杭州市西湖区的房屋一套，由配偶王秀英继承，刘芳、刘军放弃对该房屋的继承权。
二、被继承人名下银行存款共计人民币六十万元，由三位继承人各继承二十万元。
三、各继承人确认，被继承人无其他遗产及债务；如日后发现其他遗产，按法定继承的规定另行分配。
四、本协议一式四份，各继承人各执一份，一份交公证处存档。
""")

doc("声明书.txt", "gb18030", [PR], """
放弃继承权声明书
声明人：马丽，女，1975年出生，系被继承人马德胜之女。
被继承人马德胜于2024年2月10日在天津市去世，去世后留有位于天津市河西区某小区的房产一处。
本人作为被继承人的法定继承人，现自愿声明：放弃对上述遗产的继承权，该房产由其他继承人依法继承。
本人的上述声明系真实意思表示，并已知悉放弃继承的法律后果。
声明人：马丽
2024年3月18日
""")

doc("意定监护协议.odt", "odt", [PR, CO], """
意定监护协议
委托人：钱永福，男，1950年出生，退休教师。
受托人：钱晓梅，女，1978年出生，系委托人之侄女。
根据《中华人民共和国民法典》第三十三条的规定，委托人在具有完全民事行为能力时，与受托人协商确定，在委托人丧失或者部分丧失民事行为能力时，由受托人担任监护人，履行监护职责。
一、监护职责包括：照顾委托人的生活，管理和保护委托人的财产，代理委托人实施民事法律行为。
二、受托人履行监护职责，应当最大程度地尊重委托人的真实意愿。
三、本协议自双方签字并经公证之日起生效。
""")

doc("通知书.pdf", "pdf", [PR], """
指定监护人通知书
赵某某：
被监护人孙某某，男，2012年5月出生，其父母均已死亡。根据《中华人民共和国民法典》第三十一条的规定，经本居民委员会研究，指定你为孙某某的监护人。
你应当依法履行监护职责，保护被监护人的人身权利、财产权利以及其他合法权益。对指定不服的，可以自接到通知之日起三十日内向人民法院申请指定监护人。
某市某区某街道某社区居民委员会（盖章）
2024年4月2日
""")

doc("赡养协议.docx", "docx", [PR, CO], """
赡养协议
被赡养人：杨桂兰，女，1942年出生。
赡养人：长子杨明、次子杨亮、女儿杨红。
为保障老人晚年生活，经家庭成员协商一致，就赡养老人事宜达成如下协议：
一、母亲随长子杨明居住，由杨明负责日常生活照料。
二、次子杨亮、女儿杨红每人每月向长子支付赡养费人民币800元，于每月5日前支付。
三、母亲的医疗费用，扣除医保报销部分后，由三位子女平均分担。
四、子女应当履行赡养义务，不得以放弃继承权或者其他理由拒绝履行。
五、本协议一式四份，各方各执一份。
""")

doc("补充约定.txt", "txt", [PR, CO], """
关于子女抚养费的补充协议
甲方：郭涛（男方）　　乙方：何静（女方）
甲乙双方已于2020年9月协议离婚，婚生女郭欣欣由乙方直接抚养。现因子女教育支出增加，经协商，对原离婚协议中抚养费的约定补充如下：
一、自2024年7月起，甲方每月支付的抚养费由人民币2000元调整为3000元。
二、子女的学费、医疗费由双方各承担一半。
三、甲方的探望权按原离婚协议执行。
四、本补充协议自双方签字之日起生效。
""")

doc("離婚協議書.txt", "big5", [PR, CO], """
離婚協議書
男方：林志明，民國七十四年出生。
女方：陳美玲，民國七十六年出生。
雙方於民國一○一年結婚，因個性不合，感情破裂，雙方同意兩願離婚，並約定事項如下：
一、未成年子女林小安之權利義務之行使或負擔由女方任之，男方每月給付扶養費新臺幣一萬五千元。
二、男方得於每月第一、三週週末探視子女。
三、雙方婚後財產依夫妻剩餘財產分配之規定，已協議分配完畢。
四、雙方應於本協議簽訂後三十日內，向戶政事務所辦理離婚登記。
""")

doc("遺囑.txt", "big5", [PR], """
遺囑
立遺囑人：王大同，民國三十八年生。
本人神智清楚，依民法第一千一百九十條規定，自書遺囑如下：
一、本人所有坐落臺北市大安區之房屋及土地，由長子王家豪繼承。
二、本人名下銀行存款，由配偶李秀英與女兒王家慧平均分配。
三、指定律師張文雄為遺囑執行人。
四、前開遺產分配，不得侵害各繼承人之特留分。
立遺囑人：王大同（親筆簽名）
中華民國一百一十三年三月一日
""")

doc("file0415.txt", "txt", [PR, CO], """
收養契約書
收養人：張國榮、李淑芬（以下簡稱收養人）
被收養人：陳小華，民國一○八年生（以下簡稱被收養人）
被收養人之法定代理人：陳大明、吳美麗（以下簡稱出養人）
茲因收養人無子女，願收養被收養人為養子，經出養人同意，雙方訂立收養契約如下：
一、收養人自法院認可收養之日起，與被收養人發生親子關係。
二、收養人應負保護教養被收養人之義務。
三、本契約經法院裁定認可後生效。
""")

doc("agreement-tw.docx", "docx", [PR, CO], """
子女監護權及贍養費協議
甲方：陳家明（父親）
乙方：黃綺雯（母親）
雙方經香港家事法庭頒布離婚令後，就子女的管養及贍養事宜達成以下協議：
一、兩名子女的監護權由雙方共同擁有，日常照顧及管養權歸乙方。
二、甲方須每月向乙方支付子女贍養費港幣一萬二千元，直至子女年滿十八歲或完成全日制教育為止。
三、甲方享有探視權，可於每月第二及第四個週末與子女相聚。
四、本協議受香港法律管轄。
""")

doc("divorce-settlement.pdf", "pdf", [PR, CO], """
MARITAL SETTLEMENT AGREEMENT
This Marital Settlement Agreement is made on March 4, 2024 between Daniel Reed ("Husband") and Laura Reed ("Wife"), who were married on June 12, 2010 in Portland, Oregon.
Irreconcilable differences have arisen between the parties, and they intend to obtain a judgment of dissolution of marriage. The parties wish to settle all questions of child custody, child support, spousal support and the division of their marital property.
1. Child custody. The parties shall share joint legal custody of their minor child, Emma Reed. Wife shall have primary physical custody, and Husband shall have parenting time according to the attached parenting plan.
2. Child support. Husband shall pay child support of $1,200 per month until the child reaches the age of 18.
3. Spousal support. Husband shall pay spousal support of $800 per month for 36 months.
4. Marital property. The marital home at 42 Elm Street shall be sold and the net proceeds divided equally.
5. This Agreement shall be governed by the laws of the State of Oregon.
""")

doc("Smith_LastWill.docx", "docx", [PR], """
LAST WILL AND TESTAMENT OF MARGARET ANNE SMITH
I, Margaret Anne Smith, of 17 Rose Lane, Bristol, being of sound mind, declare this to be my last will and testament, and I hereby revoke all former wills and codicils made by me.
1. I appoint my son, Thomas Smith, as executor of this will.
2. I give my house at 17 Rose Lane to my daughter, Helen Smith.
3. I bequeath my jewellery to my granddaughter, Lucy Smith.
4. I give the residue of my estate to my son and daughter in equal shares.
Signed by the testator in our presence and attested by us in the presence of the testator and of each other.
Witness 1: Peter Hall, 3 Mill Street, Bristol
Witness 2: Anne Hall, 3 Mill Street, Bristol
""")

doc("document-2291.txt", "txt", [PR], """
Last Will and Testament
I, Robert James Carter, a resident of Austin, Texas, being of sound mind and memory, make this my Last Will and Testament. I revoke all prior wills and codicils.
Article I. I am married to Susan Carter, and I have two children, Michael and Sarah.
Article II. I give all of my tangible personal property to my wife, Susan Carter, if she survives me.
Article III. I give the residue of my estate to my wife; if she does not survive me, to my children in equal shares.
Article IV. I nominate Susan Carter as Independent Executor of this Will, to serve without bond.
IN WITNESS WHEREOF, I have signed this Will on April 2, 2024.
""")

doc("adoption-order.pdf", "pdf", [PR], """
IN THE FAMILY COURT AT LEEDS
ADOPTION ORDER
Adoption and Children Act 2002, section 46
Upon the application of Peter Walsh and Anna Walsh (the applicants) for an adoption order in respect of the child, Oliver James Kent, born on 3 February 2020:
The court, being satisfied that the consent of each parent or guardian of the child has been given or dispensed with, makes an adoption order authorising the applicants to adopt the child.
It is ordered that the child shall be known as Oliver James Walsh, and that the Registrar General shall make an entry recording the adoption in the Adopted Children Register.
""")

doc("scan0042.odt", "odt-spans", [PR], """
CONSENT OF BIRTH PARENT TO ADOPTION
I, Jessica Marie Lowe, am the birth mother of the child named Noah Lowe, born on 14 August 2023 in Columbus, Ohio.
I understand that by signing this consent I am voluntarily relinquishing all of my parental rights to the child, and that after the final decree of adoption the adoptive parents will have all the rights and duties of parents.
I consent to the adoption of the child by Mark Ellison and Rachel Ellison, the adoptive parents, through Bright Futures Adoption Agency.
I have not received any payment in exchange for this consent.
""")

doc("letter.docx", "docx", [PR], """
PETITION FOR APPOINTMENT OF GUARDIAN OF A MINOR
Petitioner: Linda Garcia, maternal aunt of the minor.
Minor: Sofia Martinez, age 11.
The minor's parents, Carlos Martinez and Elena Martinez, died in a car accident on January 9, 2024. The minor has no other living parent or guardian of the person.
Petitioner requests that the court appoint her as guardian of the person and estate of the minor and issue letters of guardianship.
Petitioner has cared for the minor since January 2024 and is willing to assume the duties of guardianship until the minor reaches the age of majority.
""")

doc("estate-distribution.txt", "txt", [PR], """
Dear Ms Patel,
Re: Estate of the late Mr Harold Jenkins
As executor of the estate, I am writing to confirm that the grant of probate was issued by the Probate Registry on 12 May 2024. All known debts of the estate and the inheritance tax due have now been paid.
Under the terms of the will, you are entitled to one third of the residuary estate. Enclosed is the final estate account showing your share of GBP 84,250, which will be transferred to your nominated account within 10 working days.
Please sign and return the enclosed receipt so that the administration of the estate can be completed.
Yours sincerely,
Andrew Collins
""")

doc("child-support-agreement.docx", "docx", [PR, CO], """
CHILD SUPPORT AGREEMENT
This agreement is made between Kevin Brown (the paying parent) and Maria Lopez (the receiving parent), the parents of Ethan Brown, born 2 May 2015.
The parents separated in 2022 and agree on the following arrangements for the child:
1. Kevin Brown shall pay child maintenance of GBP 450 per month to Maria Lopez, on the first day of each month.
2. The child shall live with Maria Lopez and spend alternate weekends and half of the school holidays with Kevin Brown.
3. The parents shall share the cost of school trips and extracurricular activities equally.
4. This agreement will be reviewed each year in April.
""")

doc("marriage-certificate.pdf", "pdf", [PR], """
CERTIFICATE OF MARRIAGE
State of New York, Office of the City Clerk
This is to certify that John Michael Davis and Emily Rose Chen were joined in marriage on 15 June 2024 in the Borough of Manhattan, in accordance with the laws of the State of New York.
Marriage License Number: 2024-ML-48213
Officiant: Rev. Sarah Miller
Witnesses: Paul Davis, Grace Chen
""")

doc("婚前财产协议.txt", "gb18030", [PR, CO], """
婚前财产协议
男方：冯磊
女方：蒋雪
双方拟于2024年10月登记结婚。为明确婚前财产及婚后财产的归属，经双方平等协商，达成如下协议：
一、男方婚前购买的位于成都市高新区的房产一套，属于男方婚前个人财产，婚后仍归男方个人所有；该房产婚后的还贷部分及其增值部分按夫妻共同财产处理。
二、女方婚前的存款人民币三十万元属于女方个人财产。
三、婚姻关系存续期间双方的工资收入为夫妻共同财产。
四、本协议自双方办理结婚登记之日起生效。
""")

doc("调解书.pdf", "pdf", [PR], """
北京市朝阳区人民法院
民事调解书
（2024）京0105民初12345号
原告：邓某，女，1990年出生。
被告：曹某，男，1988年出生。
案由：离婚纠纷
原告与被告于2015年登记结婚，婚后育有一子。因夫妻感情确已破裂，原告诉至本院，请求判令离婚。
本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议：
一、原告邓某与被告曹某自愿离婚；
二、婚生子曹某某由原告抚养，被告每月给付抚养费2000元，至其年满十八周岁止；
三、被告享有探望权，每月探望两次；
四、夫妻共同财产已依法分割完毕，双方再无其他争议。
上述协议，不违反法律规定，本院予以确认。本调解书经双方当事人签收后，即具有法律效力。
""")

doc("order.txt", "txt", [PR], """
IN THE FAMILY COURT SITTING AT BIRMINGHAM
Case No: BM24D00123
Between: Rachel Hughes (Applicant) and Mark Hughes (Respondent)
CONSENT ORDER (FINANCIAL REMEDY)
Upon the parties' marriage having been dissolved by a final order of divorce dated 2 April 2024, and upon the parties having agreed the terms set out below:
1. The Respondent shall pay to the Applicant spousal maintenance at the rate of GBP 1,000 per calendar month until the Applicant remarries or further order.
2. The Respondent shall transfer to the Applicant all his legal and beneficial interest in the former matrimonial home at 8 Oak Road, Birmingham.
3. Upon compliance with paragraphs 1 and 2, the parties' claims against each other for financial provision are dismissed.
""")

doc("scan_0188.pdf", "pdf", [PR], """
遗嘱
我百年之后，名下位于南京市鼓楼区中山北路的房屋一套由儿子王军一人继承，其他子女不得争执。
立遗嘱人：王德福
2023年9月1日
""")

doc("材料一.txt", "gb18030", [PR, CO], """
离婚协议书
男方：赵明　　女方：孙丽
双方因感情不和，经协商一致同意离婚。儿子赵小宇由男方抚养，女方每月支付抚养费1500元。双方名下住房归男方，男方补偿女方30万元。
""")

doc("申请书.odt", "odt", [PR], """
收养申请书
申请人李建华、王敏夫妇，婚后多年无子女，现申请收养某市儿童福利院的孤儿李某（女，2021年出生）。
申请人具有抚养、教育和保护被收养人的能力，无不利于被收养人健康成长的违法犯罪记录。
申请人：李建华　王敏
2024年3月2日
""")

doc("公证书.pdf", "pdf", [PR], """
继承权公证书
（2024）沪静证字第1234号
兹证明被继承人张某于2023年12月5日死亡。被继承人生前无遗嘱，其法定继承人为配偶刘某、儿子张某某。经查，上述继承人均表示接受继承。
上海市某某公证处　公证员：陈某
""")

doc("letter-moore.txt", "txt", [PR], """
Dear Sir,
We act for Mrs Jane Moore in her divorce. Please find enclosed the draft consent order setting out the proposed financial settlement, including spousal maintenance of GBP 900 per month and the transfer of the matrimonial home to our client.
Yours faithfully,
Hart & Co Solicitors
""")

doc("lpa-draft.docx", "docx", [PR], """
Power of attorney and guardianship
I, Helen Grant, appoint my brother Peter Grant to act as my guardian should I lose capacity, with authority over my personal welfare and medical treatment.
Signed: Helen Grant, 4 May 2024
""")

# ---------------------------------------------------------------------------------------
# Art. 3(2): notices stopping water, heating, gas, electricity.
# ---------------------------------------------------------------------------------------
doc("停水通知.pdf", "pdf", [UT], """
停水通知
尊敬的用户：
因市政供水管网改造施工需要，我公司定于2024年6月15日（星期六）8:00至20:00对下列区域暂停供水。
停水范围：建设路以东、人民路以北、和平街以南、解放路以西区域，包括阳光小区、和平花园、建设路1号至88号。
请上述区域内的用户提前做好储水准备，停水期间请关闭水龙头，以免恢复供水时造成损失。因施工造成的不便，敬请谅解。
服务热线：96116
某市自来水有限公司
2024年6月12日
""")

doc("通知.docx", "docx-runs", [UT], """
计划停电通知
尊敬的电力客户：
为保障电网安全运行，国网某市供电公司将对10千伏城东线进行检修，届时将停止供电。具体安排如下：
停电时间：2024年7月3日 07:30—18:30
停电区域：东城区光明路、长江路沿线及滨江花园小区、城东工业园部分企业。
检修工作结束后将立即恢复送电，不再另行通知。请各用户做好停电准备，停电期间请勿靠近电力设施，注意用电安全。
由此给您带来的不便，敬请谅解。
国网某市供电公司
""")

doc("关于暂停供气的公告.txt", "gb18030", [UT], """
关于暂停供气的公告
各位燃气用户：
因天然气管道连接及阀门更换施工，我公司将于2024年5月28日9:00至17:00对锦绣路片区暂停供气。施工期间请关闭户内燃气阀门，切勿使用燃气器具。
施工完毕后，我公司将逐户恢复供气，届时请配合工作人员进行通气检查。
停气期间给您带来的不便，敬请谅解。
某市燃气有限公司
2024年5月25日
""")

doc("heating-notice.odt", "odt", [UT], """
欠费停暖通知书
用户：幸福里小区5号楼2单元301室　郑先生
经核查，您户2023—2024年度采暖费人民币2,850元至今未缴纳。根据《某市城市供热条例》及供用热合同的约定，我公司已多次催缴未果。
请您于2024年11月20日前缴清欠费。逾期未缴纳的，我公司将自2024年11月21日起对您户停止供暖，停暖期间产生的一切后果由您自行承担。缴清欠费后，我公司将在24小时内恢复供暖。
某市热力有限公司
2024年11月10日
""")

doc("停電通知.txt", "big5", [UT], """
停電通知
親愛的用戶您好：
本公司為辦理配電線路維護工程，訂於民國一百一十三年八月十日（星期六）上午八時至下午五時，於臺中市西屯區福科路一帶停止供電。
停電範圍：福科路三百號至五百號、福林路一帶。
施工完成後即恢復供電，如提前完工將提前送電，不另通知。造成不便，敬請見諒。
台灣電力公司　臺中區營業處
""")

doc("公告.txt", "txt", [UT], """
水務署公告
暫停供水通告
因進行水管接駁工程，下列地區將於2024年9月18日（星期三）晚上11時至翌日上午6時暫停供水：
九龍旺角亞皆老街、花園街及通菜街一帶。
受影響的用戶請預先貯水。在恢復供水初期，食水可能出現短暫混濁現象，請讓水龍頭開放片刻，直至水質變清。
水務署對由此引起的不便，深表歉意。
""")

doc("notice.pdf", "pdf", [UT], """
NOTICE OF PLANNED POWER OUTAGE
Dear Customer,
To allow essential maintenance on the overhead line serving your area, the electricity supply to your property will be interrupted on Tuesday, 10 September 2024, between 9:00 am and 3:00 pm.
Affected streets: Mill Road (numbers 1-120), Station Lane and Orchard Close.
Please switch off sensitive electrical equipment before the outage. Power will be restored as soon as the work is completed; if the work finishes early, supply may be restored without further notice.
We apologise for any inconvenience.
Northern Power Networks
""")

doc("Water-Interruption-Notice.docx", "docx", [UT], """
WATER SUPPLY INTERRUPTION NOTICE
Dear Resident,
Please be advised that the water supply to the buildings listed below will be shut off on Thursday, 5 September 2024, from 8:00 am to approximately 4:00 pm, while our crews replace a water main valve on Queen Street.
Affected addresses: 200-260 Queen Street, 1-45 King Avenue.
We recommend that you store enough water for drinking and cooking before the shut-off. When the water service is restored, the water may be discoloured for a short time; run the cold tap until it runs clear.
Thank you for your patience.
City Water Department
""")

doc("letter-0193.txt", "txt", [UT], """
FINAL NOTICE BEFORE DISCONNECTION
Account number: 5520-118-7734
Dear Mr Alan Hughes,
Our records show that your gas account is overdue by GBP 412.60. We have written to you on three occasions asking for payment.
If full payment is not received by 30 November 2024, your gas supply will be disconnected. Disconnection of the gas supply will take place on or after 5 December 2024, and a reconnection fee of GBP 85 will apply before the supply can be restored.
If you are having difficulty paying, please contact us on 0800 123 4567 to discuss a payment plan.
Eastern Gas Supply Ltd
""")

doc("scan.odt", "odt-spans", [UT], """
催缴水费及停水通知
用户编号：0318762
用户名称：王建军（幸福路18号3栋502室）
截至2024年8月31日，您户已累计欠缴水费人民币486.30元，经多次催缴仍未缴纳。
根据《城市供水条例》及供用水合同的约定，请您在收到本通知之日起七日内到营业厅缴清欠费。逾期未缴纳的，我公司将依法中止供水，直至欠费缴清后恢复供水。
某市水务集团有限公司客户服务中心
2024年9月5日
""")

doc("district-heating.txt", "txt", [UT], """
Dear residents of Linden Park,
District heating service interruption
Because of urgent repairs to the main heat pipeline on Birch Street, heating and hot water supply to Linden Park will be suspended from 22:00 on 14 January 2025 until approximately 06:00 on 15 January 2025.
Please keep windows closed to keep the heat in your flats. Heating will be restored gradually after the repair; radiators may take several hours to warm up again.
We apologise for the inconvenience.
Stadtwerke Energy Services, district heating department
""")

doc("doc5.txt", "gb18030", [UT], """
燃气停气通知
尊敬的燃气用户：
接上级调度通知，因长输管道检修，气源供应不足。为保障安全，我公司定于2024年12月3日零时起对工业园区非居民用户实施限气，对部分区域暂停供气，居民生活用气不受影响。
停气时间：2024年12月3日0:00至12月5日24:00。
恢复供气时间以本公司另行通知为准。
某市天然气有限公司
""")

doc("notice-board.pdf", "pdf-narrow", [UT], """
停气通知
各位居民：
因小区燃气管网改造，定于2024年10月9日8:00至18:00对本小区1至12号楼暂停供气。停气期间请关闭燃气表前阀门，勿使用燃气灶具和热水器。施工结束后将逐户恢复供气并进行安全检查，请家中留人。
给您带来的不便，敬请谅解。
某某物业服务中心　某市燃气公司
""")

doc("公告-0820.docx", "docx-runs", [UT], """
停电公告
因110千伏变电站设备检修，定于8月20日6:00—14:00对城西片区停电。请用户提前做好准备。
供电服务热线95598
""")

doc("boil-water-advisory.txt", "txt", [UT], """
IMPORTANT: Boil water advisory and water shut-off
Residents of Elm Ward: the city will shut off water on Monday from 9 am to 1 pm to repair a main break. After the water service is restored, boil tap water for one minute before drinking until further notice.
""")

doc("wx20240612.txt", "txt", [UT], """
【停水通知】受金华路主管道抢修影响，6月13日22:00至次日6:00，金华路、银河路沿线小区将临时停水，请居民提前储水。恢复供水时间视抢修进度而定。——某市供水服务热线
""")

# ---------------------------------------------------------------------------------------
# Contracts, agreements, purchase orders -- many of them traps for the Article 3 words.
# ---------------------------------------------------------------------------------------
doc("采购合同.docx", "docx", [CO], """
供暖设备采购合同
合同编号：CG-2024-0612
甲方（采购方）：某市第一中学
乙方（供货方）：某某暖通设备有限公司
根据《中华人民共和国民法典》及相关法律法规，甲乙双方经协商一致，就甲方采购供暖设备事宜签订本合同。
一、采购内容：燃气壁挂炉20台、散热器300组、地暖分集水器40套，合同总价人民币468,000元。
二、交货时间及地点：乙方应于2024年9月30日前将设备运至甲方指定地点并完成安装调试，确保甲方于本采暖季正常供暖。
三、质量保证：设备质保期为两年，质保期内乙方免费维修。
四、违约责任：乙方逾期交货的，每逾期一日按合同总价的千分之一支付违约金。
五、本合同一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。
甲方（盖章）：　　　　　　乙方（盖章）：
""")

doc("doc1.docx", "docx-runs", [CO], """
加油加气站租赁合同
出租方（甲方）：某市石化能源有限公司
承租方（乙方）：某某石油销售有限公司
甲方同意将其位于G105国道K23处的加油加气站（含加油机6台、CNG加气机4台、储罐及站房）出租给乙方经营使用。双方经协商一致，订立本合同。
一、租赁期限：自2024年7月1日起至2029年6月30日止，共五年。
二、租金：每年人民币一百二十万元，按季度支付。
三、乙方负责加油加气站的日常经营、安全管理和设备维护，水、电、燃气等费用由乙方承担。
四、因不可抗力（包括但不限于地震、洪水、停水、停电、停气）导致无法经营的，双方均不承担违约责任。
五、本合同自双方签字盖章之日起生效。
""")

doc("supply-agreement.pdf", "pdf", [CO], """
SUPPLY AGREEMENT
This Supply Agreement (the "Agreement") is entered into on 1 March 2024 by and between Northwind Components Ltd., a company registered in England ("Supplier"), and Contoso Manufacturing GmbH ("Buyer").
1. Supply. Supplier will supply the products listed in Schedule 1 at the prices set out therein. Buyer will issue purchase orders at least 30 days before the requested delivery date.
2. Term. This Agreement will remain in force for three years unless terminated earlier in accordance with clause 9.
3. Assignment. This Agreement shall be binding upon and inure to the benefit of the parties and their respective heirs, executors, administrators, successors and assigns.
4. Entire agreement. This Agreement constitutes the entire agreement between the parties.
5. Governing law. This Agreement is governed by the laws of England and Wales.
IN WITNESS WHEREOF the parties have executed this Agreement on the date first written above.
""")

doc("技术服务协议.txt", "gb18030", [CO], """
技术服务协议
甲方：某某科技股份有限公司
乙方：某某信息技术有限公司
甲乙双方本着平等互利的原则，就乙方为甲方提供信息系统运维技术服务事宜，达成如下协议：
一、服务内容：乙方负责甲方ERP系统的日常运维、故障处理及数据备份。
二、服务期限：2024年1月1日至2024年12月31日。
三、服务费用：人民币三十六万元，分四期支付。
四、本协议的权利义务对双方的继承人、继受人及经许可的受让人具有约束力。任何一方发生合并、分立的，由承继其权利义务的主体继续履行本协议。
五、争议解决：因本协议引起的争议，双方应友好协商解决；协商不成的，提交甲方所在地人民法院诉讼解决。
六、本协议一式两份，双方各执一份。
""")

doc("PO-2024-0387.pdf", "pdf", [CO], """
PURCHASE ORDER
PO Number: 2024-0387
Date: 18 June 2024
Vendor: Acme Office Supplies Inc., 55 Market Street, Springfield
Ship to: Contoso Ltd., Receiving Dock B, 12 Harbour Road
Delivery date: 2 July 2024
Item 1: A4 copy paper, 80 g, box of 5 reams. Quantity 40, unit price USD 32.00, amount USD 1,280.00
Item 2: Toner cartridge HP 59A. Quantity 12, unit price USD 89.50, amount USD 1,074.00
Total: USD 2,354.00
Payment net 30 days. This purchase order is subject to the Buyer's standard terms and conditions of purchase.
Authorised by: J. Miller, Procurement Manager
""")

doc("采购单_20240611.odt", "odt", [CO], """
采购订单
订单编号：PO20240611-03
采购方：上海某某贸易有限公司
供应商：苏州某某电子有限公司
下单日期：2024年6月11日
交货日期：2024年6月25日
交货地点：上海市闵行区某某路88号仓库
1. 电源适配器 12V/2A，数量2000，单价18.50元，金额37,000.00元
2. USB数据线 1米，数量5000，单价3.20元，金额16,000.00元
合计金额：人民币伍万叁仟元整（¥53,000.00）
备注：请供应商按期交货，逾期交货的按订单金额每日千分之三支付违约金。
采购负责人：何敏
""")

doc("订单.txt", "txt", [CO], """
订单确认
客户：广州某某餐饮管理有限公司
订单号：SO-88213
商品：商用燃气灶3台、不锈钢操作台5张
合计：人民币42,600元
交货日期：2024年7月8日
付款方式：货到后30日内付款。
请贵司核对后签字盖章回传确认。
""")

doc("doc2.odt", "odt", [CO], """
房屋租赁合同
出租方（以下简称甲方）：某某物业管理有限公司
承租方（以下简称乙方）：某某餐饮有限公司
一、甲方将位于某市中山路66号一层的商铺出租给乙方使用，面积220平方米，租期三年。
二、月租金人民币二万八千元，乙方应于每月5日前支付。
三、水、电、燃气费用由乙方按实际用量向甲方缴纳。乙方逾期缴纳水电费超过三十日的，甲方有权停止供电，并要求乙方支付违约金。
四、因市政施工等原因停水停电的，甲方应提前通知乙方，租金不予减免。
五、本合同一式两份，甲乙双方各执一份，自签字盖章之日起生效。
""")

doc("gas-station-lease.docx", "docx", [CO], """
LEASE AGREEMENT - GAS STATION
This Lease Agreement is made on 15 May 2024 between Highway Properties LLC ("Landlord") and Quick Fuel Inc. ("Tenant").
1. Premises. Landlord leases to Tenant the gas station located at 1800 Route 9, including four fuel dispensers, the underground storage tanks, the convenience store building and the car wash.
2. Term. The lease term is ten (10) years, commencing on 1 June 2024.
3. Rent. Tenant shall pay a monthly rent of USD 9,500, payable in advance on the first day of each month.
4. Utilities. Tenant shall pay for all water, electricity, gas and heating used at the premises.
5. Environmental compliance. Tenant shall comply with all environmental laws on the storage and sale of petroleum products.
6. This Agreement shall be binding upon the parties and their successors and permitted assigns, and shall be governed by the laws of the State of New Jersey.
""")

doc("Heating_Equipment_Purchase.txt", "txt", [CO], """
Contract No. HV-2024-118
EQUIPMENT PURCHASE CONTRACT
Buyer: Riverside School District
Seller: ThermoTech Heating Systems Inc.
1. Goods. Seller shall supply and install two condensing gas boilers (Model TX-500), heating equipment controls and 120 radiators for the Riverside Middle School heating system.
2. Price. The total contract price is USD 186,400, including delivery and installation.
3. Delivery. Delivery date: 15 August 2024. The heating system will be commissioned before the start of the heating season.
4. Warranty. Seller warrants the heating equipment for 24 months from commissioning.
5. Breach. If Seller fails to deliver on time, Seller shall pay liquidated damages of 0.1% of the contract price per day of delay.
""")

doc("NDA.pdf", "pdf", [CO], """
MUTUAL NON-DISCLOSURE AGREEMENT
This Mutual Non-Disclosure Agreement is entered into as of 3 April 2024 by and between Blue Harbor Analytics Inc. and Greenfield Logistics Ltd. (each a "Party").
1. Confidential Information means any non-public business, technical or financial information disclosed by one Party to the other.
2. The receiving Party shall use the Confidential Information solely to evaluate a possible business relationship and shall not disclose it to any third party.
3. This Agreement will remain in effect for two years from the Effective Date.
4. This Agreement shall be governed by the laws of the State of Delaware.
Authorised signatures:
""")

doc("心电监护仪采购合同.pdf", "pdf", [CO], """
医疗设备采购合同
合同编号：YL-2024-0098
甲方：某市人民医院
乙方：某某医疗器械有限公司
经公开招标，甲方确定乙方为心电监护仪采购项目的中标供应商。双方签订本合同如下：
一、货物名称：多参数心电监护仪，数量30台，单价人民币38,000元，合同总价人民币1,140,000元。
二、乙方应于合同签订后30日内交货，并负责安装调试及对甲方重症监护室医护人员的培训。
三、质保期三年。质保期内设备故障，乙方应在4小时内响应。
四、违约责任：乙方逾期交货的，每日按合同总价的千分之五支付违约金。
""")

doc("合約.txt", "big5", [CO], """
服務合約
甲方：台灣某某科技股份有限公司
乙方：某某管理顧問有限公司
雙方同意依下列條款訂立本合約：
一、乙方為甲方提供企業內部控制制度之諮詢服務，服務期間自民國一百一十三年七月一日起至十二月三十一日止。
二、服務費用新臺幣八十萬元，分兩期支付。
三、本合約之權利義務，非經他方書面同意，不得轉讓。
四、因本合約發生之爭議，雙方同意以臺灣臺北地方法院為第一審管轄法院。
""")

doc("framework.docx", "docx-runs", [CO], """
战略合作框架协议
甲方：某某集团有限公司
乙方：某某云计算有限公司
为充分发挥双方优势，甲乙双方经友好协商，就云计算与数字化转型领域的战略合作达成如下框架协议：
一、合作内容：乙方为甲方提供云计算基础设施、数据中心托管及技术咨询服务；甲方在同等条件下优先采用乙方的产品和服务。
二、合作期限：三年，期满双方无异议的自动续期一年。
三、保密：双方对合作中知悉的对方商业秘密负有保密义务。
四、本协议为框架性协议，具体合作项目由双方另行签订合同约定。
五、本协议自双方签字盖章之日起生效。
""")

doc("婚庆服务合同.docx", "docx", [CO], """
婚庆服务合同
甲方（委托方）：新人谢宇、韩雪
乙方（服务方）：某某婚庆礼仪有限公司
甲方委托乙方承办婚礼庆典服务，双方经协商一致，签订本合同：
一、婚礼日期：2024年10月2日；地点：某某大酒店宴会厅。
二、服务内容：婚礼策划、主持、摄像摄影、花艺布置、新娘化妆。
三、服务费用：人民币三万六千元，签订合同时支付定金一万元。
四、如因乙方原因导致婚礼不能按约定进行，乙方应双倍返还定金。
五、本合同一式两份，自双方签字之日起生效。
""")

doc("employment-contract.pdf", "pdf", [CO], """
EMPLOYMENT CONTRACT
This Employment Contract is made between Contoso Ltd. (the "Employer") and Priya Sharma (the "Employee").
1. Position. The Employee is employed as Senior Accountant, starting on 1 August 2024.
2. Salary. The Employee will receive an annual salary of GBP 58,000, paid monthly.
3. Leave. The Employee is entitled to 25 days of annual leave, 5 days of marriage leave, and statutory maternity, paternity and adoption leave. Employees who marry during employment should give HR a copy of their marriage certificate to take marriage leave.
4. Benefits. The Employee may add a spouse or civil partner and dependent children to the company health plan after a qualifying life event such as marriage, divorce, birth or adoption of a child.
5. Governing law. This Contract is governed by the laws of England and Wales.
""")

doc("劳动合同.docx", "docx", [CO], """
劳动合同
甲方（用人单位）：某某软件有限公司
乙方（劳动者）：孔令辉
根据《中华人民共和国劳动法》《中华人民共和国劳动合同法》等法律法规，甲乙双方经平等自愿、协商一致签订本合同。
一、合同期限：固定期限，自2024年8月1日起至2027年7月31日止，其中试用期三个月。
二、工作内容：乙方担任软件工程师，工作地点为北京市海淀区。
三、劳动报酬：乙方月工资为人民币二万五千元。
四、休息休假：乙方依法享受法定节假日、年休假、婚假、产假、陪产假及丧假等假期。乙方申请婚假的，应提交结婚证复印件。
五、社会保险：甲方依法为乙方缴纳养老、医疗、失业、工伤、生育保险及住房公积金。
六、本合同一式两份，甲乙双方各执一份。
""")

doc("service-agreement-v2.odt", "odt-spans", [CO], """
IT MANAGED SERVICES AGREEMENT (version 2)
This Agreement is entered into between Contoso Ltd. ("Customer") and Fabrikam Cloud Services Ltd. ("Provider").
1. Services. Provider will operate and monitor the Customer's servers, network and backup systems, 24 hours a day.
2. Service levels. Provider will restore critical services within 4 hours of an incident. Scheduled maintenance will be announced at least 5 days in advance.
3. Force majeure. Neither party is liable for failure to perform caused by events beyond its reasonable control, including fire, flood, power outages, interruptions of the public water or electricity supply, strikes or acts of government.
4. Term. This Agreement remains in force for 24 months and renews automatically unless terminated with 90 days' written notice.
5. Governing law: this Agreement is governed by the laws of Ireland.
""")

doc("shop-lease.docx", "docx-runs", [CO], """
商铺租赁合同
出租方（以下简称甲方）：某某商业管理有限公司
承租方（以下简称乙方）：某某便利店有限公司
第一条 甲方将位于某市人民路188号的商铺出租给乙方，租期自2024年9月1日至2027年8月31日。
第二条 月租金人民币一万五千元，每季度首月5日前支付。
第七条 乙方应按月向甲方缴纳电费。乙方欠缴电费超过三十日的，甲方有权暂停供电；乙方缴清全部欠费及滞纳金后，甲方应在二十四小时内恢复供电。停电期间乙方的经营损失由乙方自行承担。
第十条 本合同一式两份，自双方签字盖章之日起生效。
""")

doc("物业服务合同.pdf", "pdf", [CO], """
物业服务合同
甲方（业主委员会）：某某花园小区业主委员会
乙方（物业服务人）：某某物业服务有限公司
第五条 物业服务期限为三年，自2024年7月1日起至2027年6月30日止。
第十二条 业主应当按照约定向乙方支付物业费。业主违反约定逾期不支付物业费的，乙方可以催告其在合理期限内支付；合理期限届满仍不支付的，乙方可以提起诉讼或者申请仲裁。乙方不得采取停止供电、供水、供热、供燃气等方式催交物业费。
第二十条 本合同自双方签字盖章之日起生效。
""")

doc("保险条款.txt", "txt", [CO], """
某某人寿终身寿险条款（摘录）
第五条 身故保险金受益人：投保人或者被保险人可以指定一人或者数人为身故保险金受益人。被保险人死亡后，没有指定受益人的，保险金作为被保险人的遗产，由本公司依照《中华人民共和国民法典》的规定向法定继承人履行给付保险金的义务。
第十八条 争议处理：因履行本合同发生的争议，由当事人协商解决；协商不成的，提交保险单载明的仲裁委员会仲裁。
""")

doc("维修服务.odt", "odt", [CO], """
设备维修服务协议
甲方：某某制造有限公司
乙方：某某机电维修有限公司
乙方负责甲方车间空压机及锅炉的定期维护保养。服务费每年人民币八万元。本协议有效期一年。
""")

doc("order-55821.txt", "txt", [CO], """
Order confirmation 55821
Thank you for your order. Items: 2 x office chair, 1 x standing desk. Delivery date: 14 March. Unit price and totals are shown on the attached invoice. Our standard terms and conditions apply.
""")

doc("doc3.txt", "txt", [CO], """
PURCHASE ORDER No. 45-2291
Buyer: Contoso Ltd, Finance Department
Supplier: LedgerPro Consulting Ltd
Description: training workshops to support the adoption of the new ERP system and of IFRS 16 lease accounting (3 workshops of 2 days).
Unit price: GBP 2,400 per workshop day. Total: GBP 14,400.
Delivery date: workshops to be held in September 2024 at the Buyer's London office.
This purchase order is governed by the Buyer's terms and conditions of purchase.
""")

# ---------------------------------------------------------------------------------------
# Ordinary business documents: none of the categories.  Most are traps.
# ---------------------------------------------------------------------------------------
doc("HR-leave-policy.pdf", "pdf", [], """
Contoso Ltd - Leave Policy (effective 1 January 2024)
1. Annual leave: 25 working days per year.
2. Marriage leave: employees who marry are entitled to 5 days of paid marriage leave. Please submit a copy of your marriage certificate to HR with your leave request.
3. Parental leave: maternity, paternity and adoption leave are paid according to the statutory scheme, topped up to full pay for the first 12 weeks.
4. Bereavement leave: up to 5 days on the death of a spouse, partner, child or parent.
5. Leave requests will be approved by your line manager; HR will record all leave in the HR system.
""")

doc("员工福利说明.docx", "docx", [], """
员工福利说明（2024年版）
为提升员工幸福感，公司在法定福利基础上提供以下补充福利：
一、假期：员工享受婚假10天（凭结婚证申请）、产假158天、陪产假15天、育儿假每年10天、丧假3天。
二、节日福利：春节、中秋节发放节日礼品。
三、补充医疗保险：员工本人及其配偶、子女可参加公司补充医疗保险。
四、员工子女教育：员工子女考入大学的，公司发放助学金5000元。
五、员工结婚、生育的，工会发放贺礼500元。
""")

doc("IFRS16-adoption-memo.docx", "docx", [], """
MEMORANDUM
To: Audit Committee
From: Group Financial Controller
Subject: Adoption of IFRS 16 Leases and of the new revenue recognition standard
The Group will adopt IFRS 16 from 1 January 2025 using the modified retrospective approach. On adoption, right-of-use assets of approximately EUR 12.4 million and lease liabilities of EUR 12.9 million will be recognised.
The adoption of the new accounting standard will not affect cash flows, but EBITDA will increase because lease payments will no longer be reported as operating expenses.
The Board will be asked to approve the transition plan at its meeting on 14 October. The external auditors will review the opening balance adjustments.
Subsidiaries that have not yet adopted the group accounting manual will be supported by the central finance team.
""")

doc("关于采用新会计准则的说明.txt", "gb18030", [], """
关于采用新企业会计准则的说明
公司自2024年1月1日起采用财政部发布的《企业会计准则第21号——租赁》（新租赁准则）。根据新准则的衔接规定，公司对首次执行日前已存在的合同不重新评估其是否为租赁或包含租赁。
采用新准则后，公司确认使用权资产人民币1,236万元、租赁负债人民币1,289万元，对期初留存收益无重大影响。
本次会计政策变更系根据财政部相关规定进行的变更，不会对公司财务状况、经营成果和现金流量产生重大影响。
特此说明。
""")

doc("停止供货通知.pdf", "pdf", [], """
关于停止供货的通知
各经销商：
因上游原材料供应紧张及生产线升级改造，我公司决定自2024年7月1日起暂停部分型号产品的生产，并对以下产品停止供货：
1. JX-200系列燃气热水器；
2. NR-35型电暖器；
3. 供暖用铸铁散热器（老款）。
已确认的订货将按原计划发货。新产品预计于2024年10月恢复供货，届时另行通知。
由此给各位带来的不便，敬请谅解。
某某电器股份有限公司　销售部
""")

doc("supply-suspension-notice.txt", "txt", [], """
Notice to customers: temporary suspension of supply
Dear valued customer,
Due to a fire at our resin supplier's plant, supply of the PX-40 and PX-60 series water pumps will be suspended from 1 August 2024. We expect that supply will be restored by mid-October.
Orders already confirmed will be delivered as scheduled. We will inform you as soon as the new delivery dates are confirmed.
We apologise for the inconvenience and thank you for your understanding.
Sales Department, Aquaflow Pumps Ltd
""")

doc("meeting-minutes.odt", "odt", [], """
Project Phoenix - weekly meeting minutes, 12 June 2024
Attendees: A. Brown (chair), K. Lee, M. Novak, S. Grant
1. Status. The migration of the billing system will be completed by the end of June. Kim will circulate the updated plan.
2. Risks. Testing will be delayed if the vendor does not deliver the interface specification by Friday. Marek will escalate to the account manager.
3. Successor for Sarah. Sarah will move to the London office in September; her successor will be appointed by the steering committee. The handover will take two weeks.
4. Adoption. User adoption of the new portal is at 62%; we will run two more training sessions. The last will be held on 28 June.
Next meeting: 19 June 2024.
""")

doc("会议纪要.docx", "docx-runs", [], """
项目周例会会议纪要
时间：2024年6月14日 下午2:00
地点：3号会议室
参会人：刘洋、陈晨、张蕾、王磊
一、项目进度：甲方对第二版设计方案总体认可，要求下周三前补充移动端页面。
二、问题：甲方提出的报表导出功能需与其IT部门确认接口，由陈晨跟进。
三、采购：服务器采购申请已提交，预计月底到货。
四、下周工作：完成移动端开发，准备用户验收测试。
记录人：张蕾
""")

doc("个税专项附加扣除通知.pdf", "pdf", [], """
关于2025年度个人所得税专项附加扣除信息确认的通知
各位同事：
根据国家税务总局的要求，请大家于2024年12月25日前通过“个人所得税”App确认2025年度专项附加扣除信息，包括子女教育、继续教育、大病医疗、住房贷款利息、住房租金、赡养老人及3岁以下婴幼儿照护。
申报赡养老人扣除的，独生子女按每月3000元标准扣除；非独生子女与兄弟姐妹分摊每月3000元的扣除额度。
婚姻状况、配偶信息及子女信息发生变化的，请及时在App中更新。
如有疑问，请联系人力资源部薪酬组。
""")

doc("供暖通知.pdf", "pdf", [], """
关于2024—2025年采暖季供暖的通知
各位业主：
根据市政府统一安排，本市2024—2025年采暖季自2024年11月15日起开始供暖，至2025年3月15日结束。11月10日起进行注水试压，请业主在家关注暖气是否漏水。
请尚未缴纳采暖费的业主于11月10日前到物业服务中心缴纳。
如发现暖气不热，请拨打物业服务热线。
某某物业服务有限公司
""")

doc("privacy-policy.txt", "txt", [], """
Privacy Policy
Last updated: 1 May 2024
This Privacy Policy explains how Contoso collects, uses and protects your personal information when you use our website and mobile app.
Children. Our services are not directed to children under 14. If you are under 18, you may use our services only with the consent of your parent or legal guardian. If we learn that we have collected personal information from a child without such consent, we will delete it.
Your rights. You may access, correct or delete your personal information at any time by contacting privacy@contoso.example.
Changes. We will notify you of material changes to this policy by email.
""")

doc("隐私政策.odt", "odt", [], """
隐私政策
更新日期：2024年5月1日
一、我们如何收集和使用您的个人信息：我们仅在提供服务所必需的范围内收集您的个人信息。
二、未成年人保护：若您是14周岁以下的儿童，请在您的父母或其他监护人的陪同下阅读本政策，并在取得监护人同意后使用我们的服务。如我们发现在未事先获得可证实的监护人同意的情况下收集了儿童个人信息，将尽快删除相关数据。
三、您的权利：您可以访问、更正、删除您的个人信息。
四、本政策的更新：我们可能会适时修订本政策，并以弹窗等方式通知您。
""")

doc("公司章程.docx", "docx", [], """
某某科技有限公司章程
第一章　总则
第一条　为规范公司的组织和行为，根据《中华人民共和国公司法》，制定本章程。
第二条　公司注册资本为人民币一千万元。
第二十条　股东之间可以相互转让其全部或者部分股权。股东向股东以外的人转让股权，应当经其他股东过半数同意。
第二十一条　自然人股东死亡后，其合法继承人可以继承股东资格。
第三十条　公司设董事会，成员为五人。
第六十条　本章程经全体股东签字、盖章后生效。
""")

doc("Q3-report.pdf", "pdf", [], """
Q3 2024 Business Review
Revenue grew 8% year on year to USD 42.6 million, driven by strong sales of heating equipment in Northern Europe and by new service contracts with gas station operators in Poland.
Our real estate portfolio was revalued at USD 18.2 million. The sale of the Dortmund warehouse will be completed in Q4.
Customer adoption of the HeatSmart app rose to 41,000 active users. We will launch the next version in January.
Outlook: we expect full-year revenue of about USD 165 million.
""")

doc("newsletter.txt", "txt", [], """
公司内刊　2024年第6期
【员工动态】
热烈祝贺研发部李明与王芳喜结连理！两人于5月20日举行婚礼，公司工会送上新婚祝福。
欢迎新同事：市场部赵倩、财务部孙浩加入大家庭。
【公益活动】
6月8日，公司志愿者前往市儿童福利院开展关爱活动，为孩子们送去图书和文具。
【温馨提示】
夏季用电高峰即将到来，请大家下班时关闭电脑和空调，节约用电。
""")

doc("IT-maintenance-notice.docx", "docx", [], """
IT Service Notice: planned maintenance of e-mail and VPN
Dear colleagues,
On Saturday 22 June 2024 from 20:00 to 23:00, the e-mail service and the VPN will be interrupted while we upgrade the mail servers and the firewall.
The services will be restored by 23:00. During the maintenance, please save your work and log off the VPN.
We apologise for any inconvenience.
IT Service Desk
""")

doc("datacenter-incident-report.odt", "odt", [], """
Incident report INC-2024-0612: power outage at the Frankfurt data centre
Summary: On 12 June 2024 at 10:02 the utility power supply to the data centre failed because of a fault in the grid operator's substation. The UPS carried the load, and the diesel generators started within 40 seconds.
Impact: no customer services were interrupted. Utility power returned at 10:41 and the load was transferred back to the grid at 11:05.
Root cause: grid operator substation fault; no action required on our side.
Follow-up: we will test the automatic transfer switches again in July.
""")

doc("software-design.pdf", "pdf", [], """
Design note: job scheduler
The scheduler uses a thread-pool executor to run jobs. Each job class inherits from BaseJob; through inheritance, subclasses get retry handling and logging for free.
When a worker dies, its successor thread will take over the queue. Jobs will be retried three times before they are marked as failed.
The heartbeat will be sent every 5 seconds; a node that misses three heartbeats will be removed from the cluster.
""")

doc("文化遗产保护项目简报.docx", "docx", [], """
非物质文化遗产保护项目简报
2024年上半年，本中心共完成非物质文化遗产项目调查12项，整理传承人口述史资料300余小时。
一、传承人保护：为8位国家级代表性传承人建立数字档案，开展“师带徒”传承活动16场。
二、世界文化遗产监测：完成对古城墙遗产本体的年度监测，编制《遗产保护状况报告》。
三、下半年计划：启动传统技艺数字化采集，举办文化和自然遗产日宣传活动。
""")

doc("报价单.txt", "txt", [], """
报价单
致：某某物业管理有限公司
感谢贵司询价，现报价如下：
1. 燃气锅炉（1.4MW）2台，单价人民币168,000元
2. 板式换热器4台，单价人民币23,500元
合计：人民币429,000元（含税、含运费）
交货期：合同签订后45天
报价有效期：30天
某某暖通工程有限公司　销售部　张工
""")

doc("marriage-leave-request.txt", "txt", [], """
Leave request
Employee: Wang Lei, Engineering
Type of leave: marriage leave (5 days)
Dates: 14-18 October 2024
Reason: I will get married on 12 October 2024. A copy of the marriage certificate will be provided after the wedding.
Approved by:
""")

doc("successor-planning.odt", "odt", [], """
Succession planning 2025
Purpose: to make sure that every critical role has at least one ready successor.
1. For each director role, HR will identify two potential successors and assess their readiness.
2. The CFO's successor will shadow the CFO from March 2025.
3. Development plans will be agreed with each candidate, and the Board will review progress twice a year.
""")

doc("调岗通知.docx", "docx", [], """
调岗通知书
孙明同志：
因公司组织架构调整，经研究决定，自2024年7月1日起，你的工作岗位由华东区销售经理调整为华南区销售经理，工作地点调整为广州市。原岗位工作请于6月28日前完成交接。
你的薪酬待遇不变，异地工作期间按公司规定享受住房补贴及探亲假。
人力资源部
2024年6月18日
""")

doc("采购需求说明.txt", "txt", [], """
供暖改造项目采购需求说明
一、项目概况：对办公楼原有燃煤锅炉供暖系统进行改造，更换为燃气锅炉，采暖面积约12,000平方米。
二、技术要求：燃气锅炉热效率不低于95%，氮氧化物排放不高于30mg/m³；配套供暖管网、循环水泵及自控系统。
三、工期要求：2024年10月15日前完工，确保采暖季正常供暖，施工期间不得影响办公楼正常供水供电。
四、投标人资格：具有建筑机电安装工程专业承包资质。
""")

doc("會議記錄.txt", "big5", [], """
會議記錄
日期：民國一百一十三年六月五日
出席：王經理、李主任、陳專員
一、第二季營收較去年同期成長百分之十二。
二、新產品線預計於九月上市，由陳專員負責行銷企劃。
三、辦公室冷氣維修期間，請同仁配合調整座位。
""")

doc("expense-report.odt", "odt", [], """
Expense report - June 2024
Employee: Tom Becker
Travel to the Shanghai customer meeting: flights USD 1,240, hotel USD 860, meals USD 210.
Taxi to the gas station client site: USD 45.
Total claimed: USD 2,355. Receipts attached.
""")

doc("贷款材料清单.txt", "gb18030", [], """
个人住房贷款申请材料清单
1. 借款人及配偶身份证、户口簿；
2. 婚姻状况证明：已婚的提供结婚证，离异的提供离婚证及离婚协议或法院判决书，未婚的提供未婚声明；
3. 收入证明及近六个月银行流水；
4. 购房合同及首付款发票。
""")

doc("mortgage-checklist.odt", "odt", [], """
Mortgage application checklist
Proof of identity: passport or driving licence.
Proof of marital status: marriage certificate or divorce decree, if applicable.
Proof of income: payslips for the last three months and your latest P60.
""")

doc("adoption-leave-policy.docx", "docx", [], """
Adoption leave policy
Employees who adopt a child through an approved adoption agency are entitled to 26 weeks of ordinary adoption leave. Where a couple adopts jointly, one adoptive parent may take adoption leave and the other may take paternity leave.
You must give HR the matching certificate from the adoption agency within 7 days of being matched with a child, and tell us the expected date of placement.
""")

doc("EAP-leaflet.pdf", "pdf", [], """
Employee Assistance Programme
The programme offers free and confidential legal information on family matters such as divorce proceedings, child custody, wills and estate planning, as well as counselling and debt advice. Call 0800 555 0199, 24 hours a day.
""")

doc("停电应急预案.docx", "docx", [], """
停电应急预案
一、适用范围：本预案适用于公司办公楼因外部电网故障、计划检修等原因突然停电的情况。
二、停电时间超过30分钟的，由行政部启动备用发电机，优先保障机房和消防设备用电。
三、恢复供电后，信息部负责检查服务器及网络设备运行情况，并向总经理办公室报告。
""")

doc("ups-procedure.txt", "txt", [], """
UPS maintenance procedure
Before the shutdown, notify the data centre manager. The utility power supply will be switched to bypass; power will be restored to the racks within 10 minutes. In case of a power outage during the work, stop immediately and call the on-call engineer.
""")

doc("年会通知.txt", "txt", [], """
年会通知
各位同事：公司定于1月20日在某某酒店举办年会，届时将为今年结婚的同事和新生宝宝的家庭送上祝福。请各部门准备节目。
""")

doc("ops-update.odt", "odt", [], """
Weekly ops update
The electricity supply to Building C will be upgraded next quarter. Facilities will adopt the new maintenance schedule; the last will be reviewed in May. The heating contract renewal is under discussion with procurement.
""")

doc("燃气安全使用须知.pdf", "pdf", [], """
燃气安全使用须知
1. 使用燃气时请保持通风；
2. 发现燃气泄漏请立即关闭阀门，切勿开关电器；
3. 燃气公司因管网检修需要停气的，将提前发布停气公告。
""")

doc("tenancy-faq.txt", "txt", [], """
Tenancy FAQ
Q: What happens if my landlord cuts off my water supply?
A: A landlord must not interrupt the water supply to force a tenant to pay rent; contact the council's tenancy relations officer.
""")

doc("員工手冊摘要.txt", "txt", [], """
員工手冊摘要
一、請假：員工結婚可請婚假八日，須檢附結婚證書影本；產假八週；喪假依親等給予三至八日。
二、員工到職時應填寫人事資料表，包括婚姻狀況、緊急聯絡人及扶養親屬人數，以辦理所得稅扣繳。
三、本公司依法為員工投保勞工保險及全民健康保險。
""")

doc("员工信息登记表.odt", "odt", [], """
员工信息登记表
姓名：＿＿＿＿　性别：＿＿＿＿　出生日期：＿＿＿＿
婚姻状况：□未婚　□已婚　□离异　□丧偶
配偶姓名：＿＿＿＿　子女人数：＿＿＿＿
紧急联系人及关系：＿＿＿＿
本人承诺以上信息真实有效。
签名：＿＿＿＿　日期：＿＿＿＿
""")

doc("bank-statement-note.txt", "txt", [], """
Dear customer,
Your account statement for May 2024 is attached. We will debit your standing orders for electricity, water and gas on the first working day of each month, as usual.
Please note that from 1 July the bank will adopt a new statement layout. The last will be sent by post; after that, statements will be available online only.
Customer Service, Harbour Bank
""")


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def zip_write(z, name, data, stored=False):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)


def lines_of(text):
    return text.split("\n")


def runs_of(line, split):
    """A paragraph as Word might store it: cut into runs every 5 characters when split."""
    if not split or len(line) < 6:
        return [line]
    return [line[i:i + 5] for i in range(0, len(line), 5)]


def write_docx(path, text, split):
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paras = []
    for n, line in enumerate(lines_of(text)):
        runs = []
        for k, run in enumerate(runs_of(line, split)):
            rpr = "<w:rPr><w:b/></w:rPr>" if n == 0 else (
                '<w:rPr><w:lang w:eastAsia="zh-CN"/></w:rPr>' if k % 2 else "")
            runs.append('<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, escape(run)))
        ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if n == 0 else ""
        paras.append("<w:p>%s%s</w:p>" % (ppr, "".join(runs)))
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document %s><w:body>%s<w:sectPr/></w:body></w:document>'
                % (ns, "".join(paras)))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>')
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        zip_write(z, "[Content_Types].xml", content_types)
        zip_write(z, "_rels/.rels", rels)
        zip_write(z, "word/document.xml", document)


def odt_line(line, spans):
    """One paragraph; with spans, the text before the first colon is a bold span and runs
    of two spaces become <text:s text:c="2"/>, as LibreOffice writes them."""
    if not spans:
        return escape(line)
    out = escape(line)
    for colon in ("：", ":"):
        i = line.find(colon)
        if 0 < i < 30:
            out = ('<text:span text:style-name="T1">%s</text:span>%s'
                   % (escape(line[:i + 1]), escape(line[i + 1:])))
            break
    return out.replace("  ", '<text:s text:c="2"/>')


def write_odt(path, text, spans):
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    paras = []
    for n, line in enumerate(lines_of(text)):
        style = "Title" if n == 0 else "Text_20_body"
        paras.append('<text:p text:style-name="%s">%s</text:p>' % (style, odt_line(line, spans)))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="%s" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.3"><office:automatic-styles>'
        '<style:style style:name="T1" style:family="text">'
        '<style:text-properties fo:font-weight="bold"/></style:style>'
        '</office:automatic-styles><office:body><office:text>%s</office:text></office:body>'
        '</office:document-content>' % (office, "".join(paras)))
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        zip_write(z, "mimetype", "application/vnd.oasis.opendocument.text", stored=True)
        zip_write(z, "META-INF/manifest.xml", manifest)
        zip_write(z, "content.xml", content)


def write_pdf(path, text, pango, width=450):
    """Render with pango-view: A4 text width (about 450 pt), lines wrapped as a word
    processor would, so that terms may be cut by a line break as in real PDFs."""
    font = "Noto Sans CJK SC 11"  # covers traditional characters too
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704067200")
    subprocess.run([pango, "--font=" + font, "-q", "--width=%d" % width, "--wrap=word-char",
                    "--margin=50", "-o", path, "--text=" + text],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    # cairo before 1.17 ignores SOURCE_DATE_EPOCH: pin the creation date in place, with the
    # same number of bytes, so that the xref offsets stay right.
    with open(path, "rb") as f:
        data = f.read()
    data = re.sub(rb"/CreationDate \(D:\d{14}", b"/CreationDate (D:20240101000000", data)
    with open(path, "wb") as f:
        f.write(data)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: make-corpus.py OUTDIR\n")
        return 1
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    pango = shutil.which("pango-view")
    if pango is None:
        sys.stderr.write("make-corpus: pango-view not found (Debian: pango1.0-tools): "
                         "PDF documents skipped\n")
    names = set()
    labels = []
    skipped = 0
    for name, kind, cats, text in DOCS:
        if name in names:
            raise SystemExit("make-corpus: %s twice" % name)
        names.add(name)
        path = os.path.join(out, name)
        if kind in ("txt", "gb18030", "big5"):
            encoding = {"txt": "utf-8", "gb18030": "gb18030", "big5": "big5"}[kind]
            with open(path, "wb") as f:
                f.write((text + "\n").encode(encoding))  # strict: a bad character is an error
        elif kind in ("docx", "docx-runs"):
            write_docx(path, text, kind == "docx-runs")
        elif kind in ("odt", "odt-spans"):
            write_odt(path, text, kind == "odt-spans")
        elif kind in ("pdf", "pdf-narrow"):
            if pango is None:
                skipped += 1
                continue
            write_pdf(path, text, pango, 190 if kind == "pdf-narrow" else 450)
        else:
            raise SystemExit("make-corpus: %s: unknown kind %s" % (name, kind))
        labels.append("%s\t%s\n" % (name, ",".join(cats) if cats else "none"))
    with open(os.path.join(out, "labels.tsv"), "w", encoding="utf-8") as f:
        f.writelines(labels)
    sys.stderr.write("make-corpus: %d documents in %s%s\n"
                     % (len(labels), out, " (%d PDFs skipped)" % skipped if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

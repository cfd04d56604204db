#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the demo data of data/demo/ (deterministic: the same files every run).

The day is recorded on 2026-01-05 up to 14:00 UTC; Seatmate moves it to "now"
when it seeds a demo database (app/core/sm-demo.c). All names, numbers and
cards are fictional (555 numbers, masked cards).
"""
import json, random, os
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = datetime(2026, 1, 5, tzinfo=timezone.utc)
NOW = DAY + timedelta(hours=14)
rnd = random.Random(20260105)

def t(dt):
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')

agents = [
    ("a7", "Wang Fang (王芳)", "cards-1"), ("a3", "Li Wei (李伟)", "cards-1"),
    ("a4", "Zhang Min (张敏)", "cards-1"), ("a5", "Chen Jing (陈静)", "cards-1"),
    ("a8", "Liu Yang (刘洋)", "cards-2"), ("a9", "Zhao Lei (赵磊)", "cards-2"),
    ("a11", "Sun Li (孙丽)", "cards-2"), ("a12", "Emma Brooks", "cards-2"),
    ("a14", "Daniel Kim", "disputes"), ("a15", "Huang Xin (黄欣)", "disputes"),
]

customers = [
    dict(id="cust-42", name="Jane Doe", segment="Platinum", language="en", since="2014-03-01",
         products=["Platinum Visa credit card", "Balance transfer plan"],
         phones=["+12025550123"], cards=[dict(masked="•••• 4821", product="Platinum Visa", status="active")],
         flags=[]),
    dict(id="cust-17", name="张伟", segment="金卡", language="zh", since="2019-07-15",
         products=["金卡 Visa 信用卡", "账单分期"], phones=["+8613800138000", "+12025550150"],
         cards=[dict(masked="•••• 7314", product="金卡 Visa", status="active")], flags=[]),
    dict(id="cust-23", name="Robert Miles", segment="Classic", language="en", since="2021-11-02",
         products=["Classic Mastercard"], phones=["+12025550177"],
         cards=[dict(masked="•••• 0932", product="Classic Mastercard", status="blocked")],
         flags=[dict(flag="fraud_watch", note="Card used in two countries within one hour on 2026-01-03")]),
    dict(id="cust-31", name="李秀英", segment="普卡", language="zh", since="2012-05-20",
         products=["普卡 银联信用卡"], phones=["+8613900139000"],
         cards=[dict(masked="•••• 5566", product="普卡 银联", status="active")],
         flags=[dict(flag="vulnerable", note="老年客户，需放慢语速并确认理解")]),
    dict(id="cust-55", name="Priya Natarajan", segment="Infinite", language="en", since="2010-09-09",
         products=["Infinite Visa credit card", "Travel insurance", "Airport lounge access"],
         phones=["+12025550188"], cards=[dict(masked="•••• 1208", product="Infinite Visa", status="active"),
                                         dict(masked="•••• 3377", product="Infinite Visa (supplementary)", status="active")],
         flags=[dict(flag="vip", note="Private banking client")]),
    dict(id="cust-61", name="王建国", segment="金卡", language="zh", since="2016-02-28",
         products=["金卡 Mastercard 信用卡"], phones=["+8613700137000"],
         cards=[dict(masked="•••• 8890", product="金卡 Mastercard", status="active")],
         flags=[dict(flag="complaint_history", note="近30天3次投诉：年费、分期手续费"),
                dict(flag="regulatory_complaint", note="已向金融监管部门投诉，编号 RC-2025-1187")]),
    dict(id="cust-64", name="Maria Garcia", segment="Classic", language="en", since="2023-04-11",
         products=["Classic Visa credit card"], phones=["+12025550199"],
         cards=[dict(masked="•••• 6021", product="Classic Visa", status="active")], flags=[]),
    dict(id="cust-70", name="Tom Becker", segment="Gold", language="en", since="2018-08-30",
         products=["Gold Mastercard", "Cashback rewards"], phones=["+12025550111"],
         cards=[dict(masked="•••• 4410", product="Gold Mastercard", status="active")], flags=[]),
    dict(id="cust-71", name="Anna Becker", segment="Gold", language="en", since="2018-08-30",
         products=["Gold Mastercard (supplementary)"], phones=["+12025550111"],
         cards=[dict(masked="•••• 4428", product="Gold Mastercard", status="active")], flags=[]),
    dict(id="cust-80", name="陈晓明", segment="白金卡", language="zh", since="2015-12-01",
         products=["白金卡 Visa 信用卡", "现金分期"], phones=["+8613600136000"],
         cards=[dict(masked="•••• 2047", product="白金卡 Visa", status="active")], flags=[]),
]

reasons = ["card_arrival", "lost_or_stolen_card", "card_payment_not_recognised", "extra_charge_on_statement",
           "activate_my_card", "change_pin", "request_refund", "transaction_charged_twice",
           "card_payment_fee_charged", "pending_card_payment", "exchange_rate", "compromised_card"]
dispositions = ["resolved"] * 7 + ["callback", "escalated", "transferred"]

def work_orders():
    rows = [
        dict(id="WO-20260102-0007", customer="cust-42", agent="a7", channel="inbound_call",
             category="Card services", subcategory="Card not received", priority="normal",
             complaint_level="none", summary="Replacement card not received after 8 days",
             description="Customer reports replacement card sent on 2025-12-26 has not arrived. Address confirmed. Courier tracking requested.",
             dispositions=["tracking_requested"], department="Card operations", status="in_progress",
             created=t(DAY - timedelta(days=3, hours=-2)), resolution_due=t(DAY + timedelta(days=2))),
        dict(id="WO-20260104-0031", customer="cust-61", agent="a3", channel="hotline_12345",
             category="Complaint", subcategory="Annual fee", priority="high",
             complaint_level="regulatory", summary="客户经12345热线投诉年费未按承诺减免",
             description="客户称办卡时承诺首年免年费，账单仍收取年费。已调取录音，待核实营销记录。",
             dispositions=["complaint_registered"], department="Complaints team", status="dispatched",
             created=t(DAY - timedelta(days=1, hours=-9)), resolution_due=t(DAY + timedelta(days=14))),
        dict(id="WO-20260105-0002", customer="cust-23", agent="a7", channel="inbound_call",
             category="Fraud", subcategory="Suspicious transaction", priority="urgent",
             complaint_level="none", summary="Two unrecognised online payments; card blocked",
             description="Customer does not recognise two payments to an online electronics store. Card •••• 0932 blocked, dispute form sent.",
             dispositions=["card_blocked", "dispute_opened"], department="Fraud operations", status="in_progress",
             created=t(DAY + timedelta(hours=8, minutes=42)), resolution_due=t(DAY + timedelta(days=10))),
        dict(id="WO-20260105-0005", customer="cust-31", agent="a7", channel="inbound_call",
             category="Card services", subcategory="PIN reset", priority="normal",
             complaint_level="none", summary="查询密码锁定，已指导通过手机银行重置",
             description="客户三次输错密码导致锁定，已核实身份并指导重置，客户表示理解。",
             dispositions=["resolved"], department=None, status="closed",
             created=t(DAY + timedelta(hours=9, minutes=15))),
        dict(id="WO-20260105-0009", customer="cust-55", agent="a7", channel="inbound_call",
             category="Fees and charges", subcategory="Foreign transaction fee", priority="high",
             complaint_level="general", summary="Disputes foreign transaction fee on hotel payment",
             description="Customer believes the Infinite card waives foreign transaction fees. Fee refund requested as goodwill.",
             dispositions=["goodwill_requested"], department="Card billing", status="received",
             created=t(DAY + timedelta(hours=10, minutes=5)), resolution_due=t(DAY + timedelta(days=5))),
        dict(id="WO-20260105-0014", customer="cust-17", agent="a7", channel="inbound_call",
             category="Credit limit", subcategory="Temporary increase", priority="normal",
             complaint_level="none", summary="申请临时额度提升至5万元，用于出国旅行",
             description="客户下周出国，申请临时额度。已提交审批，预计1个工作日内短信通知。",
             dispositions=["callback"], department="Credit approval", status="dispatched",
             created=t(DAY + timedelta(hours=11, minutes=30)), resolution_due=t(DAY + timedelta(days=1))),
        dict(id="WO-20260105-0018", customer="cust-64", agent="a7", channel="online",
             category="Refunds", subcategory="Refund not showing", priority="normal",
             complaint_level="none", summary="Merchant refund not yet on the account",
             description="Merchant says refund issued on 2026-01-02; not visible yet. Explained 5-7 business days.",
             dispositions=["resolved"], department=None, status="resolved",
             created=t(DAY + timedelta(hours=12, minutes=48))),
    ]
    return rows

# Each demo customer's earlier contacts, spread over the last months, so that
# the screen pop shows a history (days before the recorded day: no effect on
# today's figures)
HISTORY = {
    "cust-42": [(3, "card_arrival", "callback"), (12, "card_delivery_estimate", "resolved"),
                (41, "card_payment_fee_charged", "resolved"), (97, "change_pin", "resolved")],
    "cust-17": [(1, "credit_limit", "callback"), (20, "statement_repayment", "resolved"),
                (64, "card_payment_not_recognised", "escalated")],
    "cust-23": [(2, "card_payment_not_recognised", "escalated"), (2, "compromised_card", "resolved"),
                (150, "activate_my_card", "resolved")],
    "cust-31": [(0, "pin_blocked", "resolved"), (35, "statement_repayment", "resolved"),
                (88, "change_pin", "resolved")],
    "cust-55": [(6, "exchange_rate", "resolved"), (33, "getting_spare_card", "resolved")],
    "cust-61": [(1, "complaint", "escalated"), (9, "complaint", "escalated"),
                (24, "complaint", "transferred"), (52, "extra_charge_on_statement", "resolved")],
    "cust-64": [(3, "Refund_not_showing_up", "resolved"), (10, "request_refund", "resolved")],
    "cust-70": [(15, "card_linking", "resolved"), (70, "card_about_to_expire", "resolved")],
    "cust-71": [(15, "getting_spare_card", "resolved")],
    "cust-80": [(5, "card_payment_fee_charged", "resolved"), (44, "credit_limit", "resolved")],
}

def history():
    out = []
    by_id = {c["id"]: c for c in customers}
    for cid, contacts in HISTORY.items():
        for k, (days, reason, disposition) in enumerate(contacts):
            offered = DAY - timedelta(days=days) + timedelta(hours=rnd.randint(9, 16), minutes=rnd.randint(0, 59))
            if offered >= DAY:
                offered = DAY - timedelta(hours=rnd.randint(4, 10))
            wait = timedelta(seconds=rnd.randint(3, 40))
            talk = timedelta(seconds=int(rnd.lognormvariate(5.3, 0.4)))
            acw = timedelta(seconds=rnd.randint(20, 90))
            answered = offered + wait
            out.append(dict(type="contact", id=f"h-{cid}-{k}", queue="cards",
                            agent=rnd.choice(agents)[0], offered=t(offered), answered=t(answered),
                            ended=t(answered + talk), acw_end=t(answered + talk + acw),
                            hold_s=rnd.choice([0, 0, 15, 40]), transferred=disposition == "transferred",
                            disposition=disposition, customer=cid, reason=reason,
                            number=by_id[cid]["phones"][0], direction="inbound"))
    return out

def activity():
    out = []
    # Shifts: everyone 08:00-17:00 with staggered breaks and lunch
    for i, (aid, _, _) in enumerate(agents):
        start = DAY + timedelta(hours=8)
        br1 = start + timedelta(hours=2, minutes=15 * (i % 3))
        lunch = DAY + timedelta(hours=11, minutes=30 + 30 * (i % 3))
        br2 = DAY + timedelta(hours=15, minutes=15 * (i % 3))
        end = DAY + timedelta(hours=17)
        segs = [("work", start, br1), ("break", br1, br1 + timedelta(minutes=15)),
                ("work", br1 + timedelta(minutes=15), lunch), ("lunch", lunch, lunch + timedelta(minutes=45)),
                ("work", lunch + timedelta(minutes=45), br2), ("break", br2, br2 + timedelta(minutes=15)),
                ("work", br2 + timedelta(minutes=15), end)]
        if aid == "a7":
            segs.insert(5, ("meeting", DAY + timedelta(hours=14, minutes=30), DAY + timedelta(hours=15)))
            segs[4] = ("work", lunch + timedelta(minutes=45), DAY + timedelta(hours=14, minutes=30))
            segs[6] = ("work", DAY + timedelta(hours=15), br2) if br2 > DAY + timedelta(hours=15) else segs[6]
        segs = [s for s in segs if s[2] > s[1]]
        for act, s, e in segs:
            out.append(dict(type="shift", agent=aid, activity=act, start=t(s), end=t(e)))

        # States and contacts up to NOW, following the schedule
        clock = start + timedelta(minutes=rnd.randint(0, 4))
        out.append(dict(type="state", agent=aid, state="offline", start=t(start - timedelta(hours=1)), end=t(clock)))
        n = 0
        for act, s, e in segs:
            if s >= NOW:
                break
            if act != "work":
                late = timedelta(minutes=rnd.choice([0, 0, 1, 3]))
                ss, ee = max(clock, s + late), min(e + late, NOW)
                if ss < ee:
                    out.append(dict(type="state", agent=aid, state=act, start=t(clock), end=t(ee)) if False else
                               dict(type="state", agent=aid, state=act, start=t(ss), end=t(ee) if ee < NOW else None))
                    clock = ee
                continue
            while clock < min(e, NOW):
                idle = timedelta(seconds=rnd.randint(20, 240))
                offered = clock + idle
                talk = timedelta(seconds=int(rnd.lognormvariate(5.3, 0.5)))
                acw = timedelta(seconds=rnd.randint(15, 90))
                if offered + talk + acw >= min(e, NOW):
                    st = dict(type="state", agent=aid, state="available", start=t(clock))
                    endt = min(e, NOW)
                    if endt < NOW:
                        st["end"] = t(endt)
                    out.append(st)
                    clock = endt
                    break
                wait = timedelta(seconds=rnd.choice([2, 5, 8, 12, 15, 18, 25, 35, 60]))
                out.append(dict(type="state", agent=aid, state="available", start=t(clock), end=t(offered)))
                out.append(dict(type="state", agent=aid, state="on_contact", start=t(offered), end=t(offered + talk)))
                out.append(dict(type="state", agent=aid, state="acw", start=t(offered + talk), end=t(offered + talk + acw)))
                n += 1
                # Most of the day's callers are other customers of the bank;
                # the ten demo customers call now and then
                if rnd.random() < 0.03:
                    cust = rnd.choice(customers)
                else:
                    cust = dict(id="cust-%d" % rnd.randint(1000, 8999),
                                phones=["+1202555%04d" % rnd.randint(1000, 9999)])
                reason = rnd.choice(reasons)
                c = dict(type="contact", id=f"c-{aid}-{n:03d}", queue="cards", agent=aid,
                         offered=t(offered - wait), answered=t(offered), ended=t(offered + talk),
                         acw_end=t(offered + talk + acw), hold_s=rnd.choice([0, 0, 0, 15, 40, 90]),
                         transferred=rnd.random() < 0.06, disposition=rnd.choice(dispositions),
                         customer=cust["id"], reason=reason,
                         csat=rnd.choice([None, None, 5, 5, 4, 4, 3, 2]),
                         nps=rnd.choice([None, None, 10, 9, 9, 8, 7, 5, 3]),
                         number=cust["phones"][0], direction="inbound")
                out.append({k: v for k, v in c.items() if v is not None})
                clock = offered + talk + acw
    out.extend(history())
    # Abandoned calls during the day
    for k in range(14):
        offered = DAY + timedelta(hours=8) + timedelta(seconds=rnd.randint(0, 6 * 3600))
        wait = timedelta(seconds=rnd.choice([2, 3, 4, 30, 45, 70, 95]))
        out.append(dict(type="contact", id=f"c-ab-{k:03d}", queue="cards", offered=t(offered),
                        ended=t(offered + wait), number="+1202555%04d" % rnd.randint(200, 999)))
    for o in out:
        for key in [k for k, v in o.items() if v is None]:
            del o[key]
    return out

def write(name, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")

write("agents.jsonl", [dict(type="agent", id=a, name=n, team=tm) for a, n, tm in agents])
write("customers.jsonl", [dict(type="customer", **{k: v for k, v in c.items()}) for c in customers])
write("work-orders.jsonl", [dict(type="work_order", **{k: v for k, v in w.items() if v is not None}) for w in work_orders()])
write("activity.jsonl", activity())

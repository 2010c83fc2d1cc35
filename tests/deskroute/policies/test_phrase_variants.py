"""Every shipped rule, signal and hand-off phrase, with natural variants it must still catch.

The table lists each phrase of `policies/rules.yaml`, `policies/signals.yaml` and the hand-offs
of `policies/specialists.yaml` with at least two variants (plural, another determiner,
inflection, capitalisation, a word in between); a phrase added to a policy without variants
here fails `test_every_shipped_phrase_has_variants`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from deskroute.classify.rules import text_rule_hits
from deskroute.enrich import read_signals
from deskroute.policies import Policies, load_policies
from deskroute.policies.phrases import PhraseMatcher
from deskroute.settings import PROJECT_ROOT

VARIANTS: dict[str, list[str]] = {
    # rules.yaml: human-requested
    "talk to a human": ["Talking to a human would help", "can I talk to an actual human"],
    "talk to a person": ["I want to talk to the person in charge", "TALKING TO A PERSON, please"],
    "talk to a real person": ["let me talk to a REAL PERSON", "talking to real persons helps"],
    "talk to someone": ["Talking to someone would be faster", "could I talk quickly to someone"],
    "speak to a human": ["Speaking to a human would help", "may I speak to the human on duty"],
    "speak to a person": ["I need to speak to the person who set this up", "SPEAKING TO A PERSON"],
    "speak to someone": ["Can I SPEAK TO SOMEONE", "speaking to someone in billing would help"],
    "speak with a human": ["speaking with a human", "I want to speak with an actual human"],
    "speak with a person": ["Speaking with a person", "can I speak with the person in charge"],
    "speak with someone": ["Speaking with someone would help", "I'd speak directly with someone"],
    "speak to an agent": ["Can I speak to your agents", "Speaking to an agent would be faster"],
    "speak with an agent": ["speaking with an agent", "could I speak with your support agents"],
    "a real person": ["I want A REAL PERSON", "are real persons reading this"],
    "human agent": ["Please give me a HUMAN AGENT", "are there human agents at all"],
    "human being": ["a HUMAN BEING please", "written by human beings?"],
    "not a bot": ["I want someone who is NOT A BOT", "please, not another bot"],
    "stop the bot": ["Stop this bot", "please stop your bots"],
    "mit einem Menschen sprechen": [
        "ich will MIT EINEM MENSCHEN SPRECHEN",
        "mit einem echten Menschen sprechen",
    ],
    "mit einer Person sprechen": ["MIT EINER PERSON SPRECHEN", "mit einer echten Person sprechen"],
    "echten Menschen": ["bitte einen ECHTEN MENSCHEN", "ich möchte einen echten Menschen"],
    "kein Bot": ["KEIN BOT bitte", "ich will kein Bot-Gespräch"],
    "parler à un humain": ["je veux PARLER À UN HUMAIN", "parler directement à un humain"],
    "parler à une personne": ["PARLER À UNE PERSONNE", "je voudrais parler à une vraie personne"],
    "vraie personne": ["une VRAIE PERSONNE", "de vraies personnes"],
    "pas un robot": ["PAS UN ROBOT", "je veux quelqu'un, pas un robot"],
    "hablar con una persona": ["quiero HABLAR CON UNA PERSONA", "hablar con una persona real"],
    "hablar con un humano": ["HABLAR CON UN HUMANO", "necesito hablar con un humano ya"],
    "persona real": ["una PERSONA REAL", "con una persona real, por favor"],
    "no un bot": ["alguien, NO UN BOT", "quiero a alguien y no un bot"],
    "met een mens spreken": ["ik wil MET EEN MENS SPREKEN", "met een echte mens spreken"],
    "met een persoon spreken": ["MET EEN PERSOON SPREKEN", "met een echt persoon spreken"],
    "echt mens": ["een ECHT MENS graag", "ik wil een echt mens"],
    "geen bot": ["GEEN BOT", "liever geen bot"],
    # rules.yaml: data-breach
    "data breach": ["Was there a DATA BREACH?", "news about data breaches"],
    "breach": ["Is this a security BREACH", "someone is breaching our workspace"],
    "breached": ["our account was BREACHED", "the workspace has been breached"],
    "unauthorized access": ["UNAUTHORIZED ACCESS to our data", "unauthorized account access"],
    "unauthorised access": ["Unauthorised access alert", "unauthorised admin access"],
    # rules.yaml: legal-threat
    "lawyer": ["Our lawyers will call", "I will get a LAWYER"],
    "attorney": ["our attorneys are reading this", "ATTORNEY letter follows"],
    "legal action": ["we will take LEGAL ACTION", "legal actions are being prepared"],
    "lawsuit": ["lawsuits have been filed for less", "expect a Lawsuit"],
    "sue you": ["we will SUE YOU", "we are going to sue all of you"],
    "court": ["see you in COURT", "the courts will decide"],
    "small claims": ["a SMALL CLAIMS case", "a small claim against you"],
    "Rechtsanwalt": ["unsere Rechtsanwälte", "Ihr RECHTSANWALT"],
    "avocat": ["nos avocats", "mon AVOCAT"],
    "Anwalt": ["unser ANWALT meldet sich", "mit unseren Anwälten"],
    "rechtliche Schritte": ["RECHTLICHE SCHRITTE", "wir prüfen rechtliche weitere Schritte"],
    "juristische Schritte": ["juristische Schritte einleiten", "JURISTISCHE SCHRITTE"],
    "verklagen": ["wir VERKLAGEN Sie", "wir werden Ihre Firma verklagen"],
    "poursuites judiciaires": ["des POURSUITES JUDICIAIRES", "une poursuite judiciaire"],
    "action en justice": ["une ACTION EN JUSTICE", "des actions en justice"],
    "abogado": ["nuestro ABOGADO", "nuestros abogados"],
    "acciones legales": ["ACCIONES LEGALES", "una acción legal"],
    "demanda judicial": ["una DEMANDA JUDICIAL", "demandas judiciales"],
    "advocaat": ["onze ADVOCAAT", "dan neemt onze advocaat contact op"],
    "advocaten": ["onze ADVOCATEN", "met de advocaten van ons bedrijf"],
    "juridische stappen": ["JURIDISCHE STAPPEN", "verdere juridische stappen"],
    "rechtszaak": ["een RECHTSZAAK", "dan volgt een rechtszaak"],
    # rules.yaml: chargeback
    "chargeback": ["file a CHARGEBACK", "chargebacks on both cards"],
    "charge back": ["I will charge it back", "we charged back the payment"],
    "dispute the charge": ["I dispute these charges", "we dispute this charge"],
    "disputing the charge": ["Disputing these charges", "we are disputing this charge"],
    "dispute with my bank": ["I opened a dispute with my BANK", "disputing it with my bank"],
    "dispute with our bank": ["disputes with our bank", "a dispute with the bank"],
    # signals.yaml: frustration
    "unacceptable": ["This is UNACCEPTABLE", "totally unacceptable delays"],
    "ridiculous": ["RIDICULOUS", "ridiculously slow"],
    "frustrated": ["we are FRUSTRATED", "frustration is growing"],
    "frustrating": ["this is FRUSTRATING", "frustratingly slow"],
    "fed up": ["I'm FED UP with this", "we are fed up"],
    "annoyed": ["ANNOYED", "an annoying bug"],
    "terrible": ["TERRIBLE service", "terribly slow"],
    "worst": ["the WORST", "worst support ever"],
    "disappointed": ["disappointing answers", "a big disappointment"],
    "still not": ["STILL NOT fixed", "it still does not work"],
    "still no": ["still NO answer", "still got no answer"],
    "useless": ["USELESS", "useless answers"],
    "inakzeptabel": ["INAKZEPTABEL", "das ist völlig inakzeptabel"],
    "inakzeptable": ["eine INAKZEPTABLE Antwort", "inakzeptablen Verzögerungen"],
    "unakzeptabel": ["UNAKZEPTABEL", "das ist einfach unakzeptabel"],
    "frustrierend": ["FRUSTRIEREND", "eine frustrierende Woche"],
    "enttäuscht": ["wir sind ENTTÄUSCHT", "sehr enttäuschte Kunden"],
    "immer noch nicht": ["IMMER NOCH NICHT behoben", "geht immer noch nicht"],
    "inacceptable": ["INACCEPTABLE", "des délais inacceptables"],
    "inadmissible": ["INADMISSIBLE", "des retards inadmissibles"],
    "déçu": ["très DÉÇU", "je suis déçue"],
    "déçus": ["nous sommes DÉÇUS", "très déçues"],
    "toujours pas": ["TOUJOURS PAS de réponse", "ça ne marche toujours pas"],
    "inaceptable": ["INACEPTABLE", "retrasos inaceptables"],
    "decepcionado": ["DECEPCIONADO", "estamos decepcionados"],
    "todavía no": ["TODAVÍA NO funciona", "todavía no hay respuesta"],
    "sigue sin": ["SIGUE SIN funcionar", "el conector sigue sin sincronizar"],
    "onacceptabel": ["ONACCEPTABEL", "onacceptabele vertragingen"],
    "teleurgesteld": ["TELEURGESTELD", "zeer teleurgestelde klanten"],
    "nog steeds niet": ["NOG STEEDS NIET opgelost", "werkt nog steeds niet"],
    # signals.yaml: repeated_contact
    "again and again": ["AGAIN AND AGAIN", "again and yet again"],
    "already contacted": ["we ALREADY CONTACTED you", "I have already been contacting you"],
    "already wrote": ["I ALREADY WROTE about this", "we already wrote you twice"],
    "already written": ["I have ALREADY WRITTEN", "already written to you twice"],
    "already reported": ["this was ALREADY REPORTED", "we already report this every week"],
    "still waiting": ["STILL WAITING", "we still wait for a fix"],
    "no reply": ["NO REPLY yet", "no replies at all"],
    "no response": ["no RESPONSE", "no responses from anyone"],
    # signals.yaml: cancellation_threat
    "we will cancel": ["WE WILL CANCEL", "we will definitely cancel"],
    "we'll cancel": ["We’ll cancel", "we'll probably cancel"],
    "going to cancel": ["GOING TO CANCEL", "we're going to have to cancel"],
    "switch to a competitor": ["switching to a competitor", "we will switch to your competitors"],
    "moving to another": ["MOVING TO ANOTHER provider", "we move to another tool"],
    "looking at alternatives": ["LOOKING AT ALTERNATIVES", "we will look at other alternatives"],
    "leave Brightline": ["we will LEAVE BRIGHTLINE", "we are leaving Brightline"],
    "terminate our contract": ["terminate the contract", "terminating this annual contract"],
    "kündigen Vertrag": ["dann KÜNDIGEN wir den Vertrag", "kündigen wir unseren Vertrag"],
    "Vertrag kündigen": ["den VERTRAG KÜNDIGEN", "unseren Vertrag fristlos kündigen"],
    "résilier contrat": ["RÉSILIER le contrat", "nous allons résilier notre contrat"],
    "cancelar contrato": ["CANCELAR el contrato", "cancelaremos nuestro contrato"],
    "rescindir contrato": ["RESCINDIR el contrato", "rescindiremos nuestro contrato"],
    "contract opzeggen": ["het CONTRACT OPZEGGEN", "ons contract direct opzeggen"],
    "zeggen contract op": ["dan ZEGGEN we ons contract op", "zeggen wij het contract op"],
    # signals.yaml: outage
    "outage": ["OUTAGE", "two outages this week"],
    "is down": ["Is the API down?", "everything IS DOWN"],
    "are down": ["the dashboards are all down", "ALL SERVERS ARE DOWN"],
    "went down": ["everything WENT DOWN", "the servers went completely down"],
    "not loading": ["dashboards are NOT LOADING", "the page does not load"],
    "nobody can": ["NOBODY CAN log in", "nobody here can work"],
    "no one can": ["NO ONE CAN work", "no one here can log in"],
    "whole team": ["the WHOLE TEAM", "our whole support team"],
    "entire team": ["the ENTIRE TEAM is blocked", "entire teams are blocked"],
    "all users": ["ALL USERS", "all of our users"],
    "502": ["HTTP 502", "error 502 on every page"],
    "503": ["HTTP 503", "503 errors everywhere"],
    "service unavailable": ["SERVICE UNAVAILABLE", "the service is unavailable"],
    "status page": ["your STATUS PAGE", "the status pages say nothing"],
    # signals.yaml: money_loss
    "losing money": ["we are LOSING MONEY", "we lose money every hour"],
    "lost revenue": ["LOST REVENUE", "we lost all revenue today"],
    "losing revenue": ["LOSING REVENUE", "we lose revenue by the hour"],
    "costing us": ["this is COSTING US", "it costs us thousands"],
    "cost us": ["it will COST US a client", "every hour costs us"],
    "production is down": ["PRODUCTION IS DOWN", "production is completely down"],
    "business critical": ["BUSINESS CRITICAL", "business-critical reports"],
    "board meeting": ["before our BOARD MEETING", "for two board meetings"],
    "deadline today": ["DEADLINE TODAY", "our deadline is today"],
    # signals.yaml: urgent_words
    "urgent": ["URGENT", "urgently needed"],
    "urgently": ["URGENTLY", "an urgent matter"],
    "asap": ["ASAP", "asap please"],
    "immediately": ["IMMEDIATELY", "immediate help"],
    "emergency": ["EMERGENCY", "two emergencies"],
    "critical": ["CRITICAL", "critically important"],
    "dringend": ["DRINGEND", "eine dringende Frage"],
    "urgente": ["URGENTE", "respuestas urgentes"],
    "sofort": ["SOFORT", "bitte sofort beheben"],
    "immédiatement": ["IMMÉDIATEMENT", "corrigez immédiatement"],
    "inmediatamente": ["INMEDIATAMENTE", "revóquenla inmediatamente"],
    "spoed": ["met SPOED", "graag met spoed"],
    "onmiddellijk": ["ONMIDDELLIJK", "graag onmiddellijk oplossen"],
    # signals.yaml: positive_phrases
    "thank you so much": ["THANK YOU SO MUCH", "thank you all so much"],
    "thanks a lot": ["THANKS A LOT", "thanks a whole lot"],
    "love the product": ["we LOVE THE PRODUCT", "loving your product"],
    "great job": ["GREAT JOB", "great jobs all round"],
    "awesome": ["AWESOME", "awesome work"],
    "much appreciated": ["MUCH APPRECIATED", "very much appreciated"],
    # specialists.yaml: hand-offs
    "refund": ["REFUND", "two refunds"],
    "money back": ["MONEY BACK", "I want my money back"],
    "reimburse": ["REIMBURSE us", "a reimbursement"],
    "cancel my subscription": ["cancel the subscription", "cancelling my subscriptions"],
    "cancel our subscription": ["CANCEL OUR SUBSCRIPTION", "cancel this subscription"],
    "log in": ["LOG IN", "I cannot log back in"],
    "login": ["LOGIN", "strange logins"],
    "sign in": ["signing in fails", "SIGN IN"],
    "locked out": ["LOCKED OUT", "I locked myself out"],
    "password": ["PASSWORD", "our passwords"],
    "invoice": ["INVOICE", "all invoices"],
    "billing address": ["BILLING ADDRESS", "our billing addresses"],
    "payment method": ["PAYMENT METHOD", "which payment methods"],
    "forgot my password": ["FORGOT MY PASSWORD", "I forgot the password"],
    "password reset": ["PASSWORD RESET", "two password resets"],
}

NEAR_MISSES: list[tuple[str, str]] = [
    # (owner, text): looks like a phrase, must not count
    ("rule:legal-threat", "the courtesy credit"),
    ("rule:data-breach", "the export has a memory leak"),
    ("rule:data-breach", "is there a quick hack to rename a workspace"),
    ("signal:outage", "the site is not down, just slow"),
    ("signal:cancellation_threat", "we will not cancel, we love it"),
    ("signal:cancellation_threat", "we switched to annual billing last week"),
    ("signal:repeated_contact", "queries that take 2 seconds time out"),
    ("signal:repeated_contact", "logs are kept for 90 days"),
    ("signal:frustration", "nobody else has admin rights"),
]

POLICIES = load_policies(PROJECT_ROOT / "policies")
NOW = datetime.now(UTC)


def owners(policies: Policies) -> Iterator[tuple[str, list[str], PhraseMatcher]]:
    """Every phrase list of the shipped policies, named by what it belongs to."""
    for rule in policies.rules.rules:
        yield f"rule:{rule.id}", rule.phrases, rule.matcher
    for name, signal in policies.signals.signals.items():
        yield f"signal:{name}", signal.phrases, signal.matcher
    yield "signal:positive", policies.signals.positive_phrases, policies.signals.positive_matcher
    for specialist, spec in policies.specialists.specialists.items():
        for handoff in spec.handoffs:
            yield f"handoff:{specialist}->{handoff.to}", handoff.phrases, handoff.matcher


def fires(policies: Policies, owner: str, text: str) -> bool:
    """Does the policy element fire, read the way routing reads it?"""
    kind, name = owner.split(":", 1)
    if kind == "rule":
        return name in [hit.rule for hit in text_rule_hits(text, policies.rules)]
    if kind == "signal":
        signals = read_signals(text, policies.signals, base_urgency="low", history=[], now=NOW)
        if name == "positive":
            return signals.sentiment == "positive"
        return name in [hit.signal for hit in signals.hits]
    return (
        next(matcher for o, _, matcher in owners(policies) if o == owner).search(text) is not None
    )


CASES = [
    pytest.param(owner, phrase, variant, id=f"{owner}|{phrase}|{variant}")
    for owner, phrases, _ in owners(POLICIES)
    for phrase in phrases
    for variant in VARIANTS.get(phrase, [])
]


def test_every_shipped_phrase_has_variants() -> None:
    shipped = {phrase for _, phrases, _ in owners(POLICIES) for phrase in phrases}
    missing = sorted(p for p in shipped if len(VARIANTS.get(p, [])) < 2)
    assert not missing, f"phrases with fewer than two variants listed: {missing}"
    assert not set(VARIANTS) - shipped, "variants listed for phrases no policy ships"


@pytest.mark.parametrize(("owner", "phrase", "variant"), CASES)
def test_variant_fires_its_rule_or_signal(owner: str, phrase: str, variant: str) -> None:
    assert PhraseMatcher.compile([phrase]).search(variant) is not None, "the phrase itself"
    assert fires(POLICIES, owner, variant)


@pytest.mark.parametrize(("owner", "text"), NEAR_MISSES)
def test_near_misses_do_not_fire(owner: str, text: str) -> None:
    assert not fires(POLICIES, owner, text)

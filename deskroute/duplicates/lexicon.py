"""The words and phrases duplicate detection reads, apart from the code that reads them.

Stop words, the synonym table, reply prefixes and greetings, and the cue phrases of follow-ups,
new issues and solved problems change as support teams meet new phrasings; keeping them in one
data-like module lets them grow without touching the scoring.
"""

from __future__ import annotations

import re

STOP_WORDS = frozenset(  # in the languages customers write in; never content words
    """a an the and or but if of to in on at for from by with about as into over after before is
    are was were be been being am do does did done have has had having i me my we us our you your
    he she it its they them their this that these those there here what which who whom how why
    when where can could would should will shall may might must not no yes please thanks thank
    hi hello hey dear regards best kind cheers team support brightline just also so any some all
    very too than then now still again get got i'm we're it's don't can't isn't doesn't haven't
    there's that's let ok okay
    der die das den dem des ein eine einen einem und oder aber ist sind war wir ich sie es mit
    auf für von zu im in nicht bitte danke hallo unser unsere unseren uns mein meine noch schon
    le la les un une des du de et ou mais est sont nous vous je il elle pas pour sur dans avec
    ce cette nos notre merci bonjour au aux
    el los las una unos y o pero es son nosotros yo por para con en del al nuestro nuestra gracias
    hola que
    o os um uma e mas é são nós eu não para com em do da dos das nosso nossa obrigado olá
    il lo gli uno e ma è sono noi io non per con nel della del nostro nostra grazie ciao
    het een en maar is zijn wij ik niet voor met op van onze ons bedankt""".split()
)

REPLY_PREFIX = re.compile(  # "Re:", "Fwd:", "[Ticket #123]" in a subject
    # A tag is one bracket pair, no bracket inside, holding "#" and a number: read once from
    # each "[" (a tag that may hold "[" is read from each of them, cubic on "[#1[#1...").
    r"(?:^|(?<=\s)|(?<=\]))(?:re|fwd?|aw|wg|tr|rv|sv|enc)\s*:\s*"
    r"|\[(?=[^\[\]\n]*?#\s?\d)[^\[\]\n]*\]\s*",
    re.IGNORECASE,
)
GREETING = re.compile(  # an opening line that says nothing about the request
    # Leading blanks of its own line only: `\s*` from every line start of a run of blank lines
    # would read the whole run each time.
    r"^[^\S\n]*(?:hi|hello|hey|dear|good (?:morning|afternoon)|hallo|bonjour|hola|ciao|olá|hej"
    r"|guten tag|buongiorno|goedemiddag|dzień dobry)\b"
    r"(?:\s+(?:support|team|all|there|again|brightline)[\w -]*)?[,!:]?",
    re.IGNORECASE | re.MULTILINE,
)

# Cues are looked for sentence by sentence in the customer's own text.
FOLLOW_UP = re.compile(
    r"\b(?:any (?:update|news|progress|word|answer|luck|decision|feedback|reply|response)"
    r"|still (?:waiting|not|no|isn|haven|need|queued|running|missing|see|broken|failing|happening"
    r"|hoping|stuck|suspended|locked|shows|showing|getting|the same|pointing|in our|have|get"
    r"|receiv\w*|here|frozen|seeing|happen\w*|down|empty|wrong|blocked|unable|can't|cannot)"
    r"|following up|follow(?:ing)?[- ]up|chasing|please chase|checking (?:in|on|back|whether)"
    r"|just checking|reminder|bump(?:ing)?\b|as mentioned|(?:i|we) mentioned|mentioned (?:in|on)"
    r"|(?:i|we|i've|we've|i had|we had|i have|we have)(?: already)? (?:sent|asked|reported|wrote"
    r"|emailed|submitted|filled|requested|raised|filed|opened|posted|called)"
    r"|(?:asked|emailed|submitted|wrote|posted|filed|raised|reported|mentioned)"
    r"(?: this| it| a \w+| about \w+(?: \w+)?)? (?:in chat|on chat|by (?:e-?)?mail|via (?:e-?)?mail"
    r"|via chat|through|earlier|yesterday|this morning|on \w+day|last \w+|a few|before|already)"
    r"|(?:my|our|the) (?:e-?mail|mail|message|form|ticket|request|question) (?:from|of|earlier"
    r"|yesterday|this morning|last|on \w+day|below)|same as (?:my|the|our)|(?:here|this) too"
    r"|(?:third|second|\d+(?:st|nd|rd|th)) (?:time|submission|attempt|request)"
    r"|(?:my|our|the) (?:previous|earlier|last|first|original) (?:message|e-?mail|mail|request"
    r"|ticket|note|submission)|should have (?:said|mentioned|added)"
    r"|forgot to (?:mention|say|add|attach)|(?:wanted|want) to add|adding (?:context|details|more)"
    r"|no (?:reply|response|answer|acknowledg|word|confirmation)|never (?:got|heard|received)"
    r"|haven't (?:heard|had|received|got|seen)|not yet received|didn't (?:get|hear|receive)"
    r"|(?:re-?)?forwarding (?:this|again|my|our|the|it|below|as)|re-?forward"
    r"|(?:resending|re-sending|sending (?:this |it )?again|submitting (?:this |it )?again"
    r"|trying again|here it is again|asking again|once again|one more time)"
    r"|(?:get|got|had|have) a chance|any (?:idea|thoughts)s? (?:yet|on|about|re)|\bping\b"
    r"|\byet\?|anyone there|someone (?:please )?answer|hello\?"
    r"|(?<!hi )(?<!hello )(?<!me )(?<!here )"
    r"(?<!admin )(?<!works )(?<!working )(?<!runs )(?<!fine )again\b"
    r"|erneut|nochmal|noch (?:keine|immer|nicht)|keine antwort|neuigkeiten|nachfrage"
    r"|ich hatte|wir hatten|relance|je renvoie|renvoie mon|sans réponse|toujours pas"
    r"|pas de réponse|des nouvelles|reenviando|reenvio|sem resposta|ainda (?:não|sem)"
    r"|novidade|sin respuesta|todavía|alguna novedad|sollecito|nessuna risposta|novità"
    r"|nog geen|opnieuw|de nuevo|de novo|à nouveau|di nuovo|sigue|continua|nog steeds|alweer"
    r"|immer noch|schon wieder|encore|de nouveau|otra vez|vuelve a|once more)"
    r"|\?\?|[\u2026]\s*$",
    re.IGNORECASE,
)
NEW_ISSUE = re.compile(
    r"\b(?:separate(?: \w+)? (?:question|issue|topic|query|request|thing|problem|matter)"
    r"|separately|different(?: \w+)? (?:issue|problem|question|thing|topic)"
    r"|another (?:question|thing|issue|problem|suggestion|request|topic)"
    r"|new (?:issue|problem|question)|also(?! (?:happy|glad|available|attach|cc|copied))"
    r"|additionally|one more (?:question|thing)|unrelated|other question|something else"
    r"|follow[- ](?:on|up) question|while i'm here|by the way|btw"
    r"|thanks[,!.]? (?:and|but|now|i'm|it's|for)"
    r"|outra coisa|autre chose|otra cosa|etwas anderes|andere frage|altra cosa|iets anders)",
    re.IGNORECASE,
)
SOLVED = re.compile(
    r"(?<!not )(?<!n't )(?<!never )(?<!still )\b(?:(?:works?|working|runs?|running|syncs?"
    r"|syncing|refreshing|loads?|loading|is (?:fine|back)|are (?:back|fine)|arrived) (?:again|now)"
    r"|fixed(?: it| now)?\b(?!\?)|is (?:fixed|resolved|solved|sorted)|been (?:fixed|resolved)"
    r"|(?:resolved|solved|sorted)(?: it| now)?[.!,:)]|turned out|that part is done|scratch that"
    r"|(?:went|goes|came) (?:out|through) fine|(?:is |are |all )?(?:fine|good) now|found it"
    r"|i'm in now|já apareceram|funciona de novo|funktioniert wieder|klappt wieder"
    r"|marche (?:à nouveau|de nouveau)|funziona di nuovo|werkt weer)",
    re.IGNORECASE,
)
GENERIC = frozenset(  # words of any request, naming no problem: never a ticket's topic
    """issue issues problem problems question questions query help update updates news progress
    answer answers reply replies response feedback status wait waiting waited ticket tickets
    request requests requested thing things stuff someone somebody anyone anybody anything
    something everything nothing everyone everybody people ask asking asked time times first
    second third once more another same one last next every each up week weeks day days month
    months today tonight yesterday tomorrow morning afternoon evening night monday tuesday
    wednesday thursday friday saturday sunday hour hours minute minutes since sorry urgent
    urgently asap look looking check checking know let need needed want wanted like find found
    hear heard back touch call contact quick quickly chance idea ideas thought thoughts hope
    hoping bump ping chase chasing reminder follow following eta work works working anymore pls
    plz thx get getting got message earlier already able
    frage fragen fragt anfrage hilfe helfen brauche antwort neuigkeiten nachfrage rückmeldung
    prüfen melden sich zuständig heute gestern täglich stunden tag tage woche immer wieder erneut
    nochmal gibt gruß grüße freundlichen guten zur zum meiner meinem meinen haben hat habe warten
    bei jedem nur seit keine kein wer unserem unserer nach als mehr ab sobald bekommen wegen
    problème aide aider besoin réponse nouvelles toujours encore pouvez rappeler cordialement svp
    moi mon ma mes ai avons depuis hier aujourd'hui matin ne se quand fois nouveau nouvel qui quoi
    problema pregunta consulta ayuda ayudar respuesta novedad novedades alguna todavía sigue otra
    vez hablar alguien necesito favor saludos hoy ayer noche rápida sin mi mis sobre tengo está
    puedo han cada vuelve nuevo
    probleem vraag hulp antwoord reactie nog steeds weer opnieuw alweer kunnen jullie bellen groet
    groeten mvg beste heb hebben nodig graag kijken vandaag gisteren geen na tot krijg kan mijn bij
    dan erg meer sinds ontvangen""".split()
)

SYNONYMS = [  # one group per line; the first word stands for the group
    "login log-in signin sign-in logon log sign signed authenticate re-authenticate anmeldung"
    " anmelden einloggen inloggen connexion",
    "2fa mfa two-factor authenticator verification otp sms code",
    "invoice invoices bill factura facture rechnung fattura factuur facturation facturación"
    " facturatie abrechnung",
    "seat user licence license people person analyst employee staff member users benutzer"
    " nutzer mitarbeiter utilisateur analyste usuario gebruiker",
    "cancel cancellation terminate renew renewal auto-renewal kündigen kündigung résilier"
    " résiliation cancelar opzeggen",
    "refund money-back reimburse credit gutschrift rückerstattung erstattung remboursement"
    " reembolso terugbetaling creditnota",
    "export download exported exportieren exporter exportación exporteren",
    "email e-mail mail emailed inbox mailbox",
    "schedule scheduled scheduler automatically",
    "dashboard report board rapport informe",
    "error fail failing failed broken internal denied fehler erreur échoue échec fallo falla"
    " fallando fallar fout foutmelding faalt",
    "password reset passwort wachtwoord contraseña",
    "quote quotation pricing price cost offer",
    "share shared sharing external client",
    "region eu hosting hosted stored location residency",
    "remove delete erase erasure purge löschen entfernen supprimer eliminar verwijderen",
    "slow lento langsam performance lent traag",
    "connector connection integration konnektor connecteur conector koppeling",
    "sync synchronise synchronize refresh import load synchronisation synchronisierung"
    " sincronización synchronisatie",
    "workspace account tenant konto compte cuenta",
    "admin administrator owner ownership",
    "expire expired expiry",
    "favourite favorite starred star",
    "credential key token",
    "duplicate twice doubled double doppelt doble dubbel",
    "alert notification",
    "contract agreement msa",
    "stuck processing spinner hang",
    "empty blank disappeared missing leer vide vacío leeg",
    "wrong incorrect falsch faux incorrecto",
    "limit quota",
    "timezone zone",
    "invite invitation invited einladung invitación uitnodiging",
]


def stem(word: str) -> str:
    """A light English suffix strip: enough to fold plurals and tenses for overlap."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


CANON = {  # stemmed word -> the first word of its synonym group
    stem(w): group.split()[0] for group in SYNONYMS for w in group.split()
}

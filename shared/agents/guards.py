"""What the offline brain recognises by its words before any intent: requests it must refuse, and requests
whose meaning a few words decide (a price, an order's status, a complaint) where embeddings blur them."""

from __future__ import annotations

import re
from collections.abc import Callable

from shared.agents.caller_facts import order_number_in
from shared.agents.numbers import quantity

INJECTION = re.compile(r"\b(ignore (all |your |any |the |previous |prior )+(rules|instructions|prompts?)|system prompt|"
                       r"developer mode|jailbreak|pretend (i'?m|i am|you are)|skip (the )?(security|verification)|"
                       r"you are now|act as (an? )?admin)\b", re.I)
DATA_DUMP = re.compile(r"\b(all|every|other) (of )?(your |the )?(customers|users|accounts|clients)\b|"
                       r"\b(customer|user) (list|database)\b|\bdump\b", re.I)
OTHER_CUSTOMER = re.compile(r"\b(customer|client|account) (with )?(number|no\.?|id|#)\s*\w+|\bcust-\w+|"
                            r"\bmy (wife|husband|partner|friend|neighbou?r|mother|mom|mum|father|dad|son|daughter|"
                            r"brother|sister|boss|colleague)'?s?\b|\bsomeone else'?s\b|"
                            r"\banother (customer|person)'?s?\b|\bother customer'?s?\b", re.I)
ABUSE = re.compile(r"\b(stupid|idiot|useless|dumb|moron|shut up|f+u+c+k\w*|shit\w*|crap|bloody|damn)\b", re.I)
COMPLAINT = re.compile(r"\b(complain\w*|complaint|unacceptable|manager|supervisor|disgrace\w*|furious|outrageous)\b",
                       re.I)
CANCEL = re.compile(r"\bcancel\w*\b", re.I)
# A question about the policy rather than a request to act on it: the documents answer it.
POLICY_QUESTION = re.compile(r"\b(how (long|do|does|can|many|much time)|when (do|will|would|does)|do i get|"
                             r"tell me|knowledge base|"
                             r"what('?s| is| are) (your|the)|policy|policies|if i|am i able|is it possible)\b", re.I)
ACT = re.compile(r"\b(i want|i wanna|i'?d like|i would like|i need|please|can you|could you|start|i'?m returning|"
                 r"let me|help me|i have to)\b", re.I)
CONTACT_CHANGE = re.compile(r"\b(change|update|new|correct)\b.*\b(email|e-mail|phone|mobile|number)\b|"
                            r"\b(email|e-mail|phone|mobile|number)\b.*\b(changed|update|change)\b", re.I)
PRICE = re.compile(r"\b(how much|price|prices|pricing|cost|costs|set me back|expensive|cheap|afford|in stock|available|"
                   r"availability|do you (have|carry))\b", re.I)
HUMAN = re.compile(r"\b(operator|human|real person|a person|someone real|representative|somebody real)\b", re.I)
POLICY_WORDS = re.compile(r"\b(shipping|delivery|warranty|return|express|refund)\b", re.I)
ORDER_STATUS = re.compile(r"\b(where('?s| is) my|has my|status of|track\w*|shipped|arrive|delivered)\b", re.I)
PURCHASES = re.compile(r"\b(orders|purchases|bought|ordered|order history)\b.*\b(i|my|me)\b|"
                       r"\b(i|my|me)\b.*\b(orders|purchases|bought|ordered|order history)\b", re.I)
OWN_DETAILS = re.compile(r"\b(what|which)\b.*\b(email|e-mail|phone|number|address|details)\b.*\b(have|got|on file)\b",
                         re.I)
SEND = re.compile(r"\b(send|email me|e-mail me|mail me|email it|by email)\b", re.I)
RETURN = re.compile(r"\b(return|refund|send (\w+ ){0,3}back|money back|exchange)\b", re.I)
OFF_TOPIC = re.compile(r"\b(weather|joke|game tonight|football|hockey|who (won|will win)|politics|lottery)\b", re.I)
ORDER = re.compile(r"\b(order|buy|purchase|take|need|want|i'?d like|i would like|get|i'?ll have)\b", re.I)
ASK_TO_BUY = re.compile(r"^\W*(can|could|may) (i|we) (get|buy|order|have|take)\b", re.I)
NOT_ORDER = re.compile(r"\b(know|check|see|change|update|speak|talk|cancel|return|email|send|ask|tell|verify|"
                       r"complain\w*|question|help)\b", re.I)
PROBLEM = re.compile(r"\b(lost|damaged|broken|smashed|faulty|missing|stolen)\b|\bwhat (now|do i do|should i do|"
                     r"can i do)\b", re.I)
NEWS = re.compile(r"\b(news|latest|new|recent\w*|happening|announce\w*|opened|open any|lately)\b", re.I)
GOODBYE = re.compile(r"\b(bye|goodbye|that'?s (all|it|everything)|nothing else|covers everything|have a (good|nice|"
                     r"great) (day|one|evening))\b", re.I)
QUESTION = re.compile(r"^\W*(how|what|when|where|why|which|who|do|does|is|are|can|could|will|would|should)\b", re.I)
# Where one sentence holds two requests: "how much is X and also how long is shipping".
SECOND_REQUEST = re.compile(r"\s*,?\s*\b(?:and also|and then|also|plus|and)\s+(?=(?:how|what|where|when|can|could|"
                            r"do|does|is|are|send|email|i want|i'd like|please)\b)", re.I)


CATALOG_WORDS = {
    "what", "which", "products", "product", "do", "you", "guys", "sell", "have", "has", "available",
    "currently", "catalog", "catalogue", "in", "stock", "from", "your", "show", "me", "the", "any",
    "there", "are", "is", "list", "items", "things", "offer", "right", "now", "today", "all", "of",
    "can", "i", "see", "buy", "at", "moment", "kind", "kinds", "sort", "sorts", "got", "stuff", "um",
    "uh", "so", "hi", "a", "whatever", "okay", "ok", "well", "then", "fine", "please", "like", "just",
    "really", "hmm", "hey", "hello", "yeah", "tell", "about", "carry", "these", "days", "for", "sale",
    "selling", "again",
}


def names_something(message: str) -> bool:
    """Whether a catalog question asks about a particular thing ("do you sell gift cards") rather than the list."""
    return any(w not in CATALOG_WORDS for w in re.findall(r"[a-z']+", message.lower()))


def refusal(message: str) -> str | None:
    """Why the brain will not act on `message`, said to the caller; None when it may."""
    if INJECTION.search(message):
        return ("I can't do that: I follow the same rules in every call, and I can only help with your own "
                "account, our products and our policies.")
    if DATA_DUMP.search(message):
        return "I can't share other customers' details: I can only help with your own account."
    if OTHER_CUSTOMER.search(message):
        return ("I'm sorry, I can only help with your own account. The other person is welcome to call us "
                "themselves.")
    return None


def requests(message: str) -> list[str]:
    """The requests in one sentence, in the order said."""
    parts = [p.strip(" ,.") for p in SECOND_REQUEST.split(message)]
    return [p for p in parts if len(p.split()) >= 2] or [message]


def _is_order(message: str) -> bool:
    """A wish for a product ("we need eleven stoves", "can I get the lantern"), not a question about one."""
    asked = QUESTION.search(message) and not ASK_TO_BUY.search(message)
    return bool(ORDER.search(message) and not NOT_ORDER.search(message) and not asked and (
        quantity(message) is not None or re.search(r"\b(the|a|an|some)\s+\w+", message, re.I)))


# In order: the first that holds decides (agent, intent).
RULES: list[tuple[Callable[[str], object], tuple[str, str]]] = [
    (lambda m: GOODBYE.search(m) and len(m.split()) <= 12, ("router", "goodbye")),
    (COMPLAINT.search, ("router", "complaint")),
    (HUMAN.search, ("router", "human")),
    (lambda m: CANCEL.search(m) and not POLICY_QUESTION.search(m), ("customer_data", "cancel_order")),
    (lambda m: RETURN.search(m) and ACT.search(m) and not POLICY_QUESTION.search(m),
     ("customer_data", "return_request")),
    (OWN_DETAILS.search, ("customer_data", "profile_read")),
    (lambda m: CONTACT_CHANGE.search(m) and not SEND.search(m), ("customer_data", "contact_change")),
    (PROBLEM.search, ("knowledge_base", "knowledge")),
    (lambda m: SEND.search(m) and not RETURN.search(m), ("executive_assistant", "email")),
    (lambda m: (ORDER_STATUS.search(m) and re.search(r"\b(order|parcel|package|delivery)\b", m, re.I))
     or order_number_in(m), ("customer_data", "order_status")),
    (lambda m: PURCHASES.search(m) and QUESTION.search(m), ("customer_data", "purchases")),
    (lambda m: PRICE.search(m) and not POLICY_WORDS.search(m), ("customer_data", "price")),
    (lambda m: RETURN.search(m) or OFF_TOPIC.search(m), ("knowledge_base", "knowledge")),
    (_is_order, ("customer_data", "order")),
]


def rule_intent(message: str) -> tuple[str, str] | None:
    """The intent a few words decide better than the nearest example utterance, or None."""
    return next((target for holds, target in RULES if holds(message)), None)

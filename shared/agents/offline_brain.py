"""The offline brain: a dialogue policy. Refusals and intents a few words decide first (`guards`), else
the nearest of the agents' example utterances by MiniLM embeddings; numbers from words (`numbers`),
addresses in national formats (`addresses`), products matched fuzzily (`catalog`), verification facts
(`caller_facts`); replies as they are spoken (`speech`). It acts only through the turn (tools, handoffs,
what it says), so the same rules hold as for the LLM brain, and says so when it did not understand.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from shared.agents import guards
from shared.agents.addresses import named_field, parse_address, postal_form
from shared.agents.caller_facts import caller_facts, order_number_in, postal_code_in
from shared.agents.catalog import best_product
from shared.agents.contact_details import email_in, phone_in
from shared.agents.definitions import ENTRY_AGENT, Agent
from shared.agents.numbers import in_digits, quantity
from shared.agents.speech import answer_from, spoken_citation, spoken_date, spoken_id, spoken_money
from shared.conversation.state import ToolCall
from shared.conversation.turn import Turn
from shared.knowledge.embeddings import Embedder
from shared.tools.contact import spoken_email, spoken_phone

MIN_SIMILARITY = 0.35  # below it, no example is close enough to act on
# Yes and no, also in the callers' own languages (German, French, Swedish, Japanese, Hindi, Spanish).
_YES_WORDS = r"oui|ja|jawohl|genau|richtig|stimmt|hai|haan|ji|si|sí|d'accord"
YES = re.compile(rf"^\W*(?:(?:{_YES_WORDS}|okay|ok)\W+)*(yes|yeah|yep|yup|yea|sure|correct|"
                 r"that'?s (?:right|correct|it)|right|please do|go ahead|do it|ok(ay)?|confirm|absolutely|perfect|"
                 r"sounds good|exactly|lovely|"
                 rf"uh[- ]?huh|affirmative|c'est (?:bon|correct)|{_YES_WORDS})\b", re.I)
NO = re.compile(r"^\W*(?:hmm+\W+|uh+\W+)*(no|nope|nah|nein|non|nej|nee|iie|nahi|cancel|don'?t|stop|wait|hold on|"
                r"never ?mind|forget it|wrong|not right|leave it)\b", re.I)
# A bare yes or no: an answer to a question, never a request of its own.
ANSWER_ONLY = re.compile(r"^\W*(yes|yeah|yep|yup|sure|correct|right|ok(ay)?|no|nope|nah|yeah sure|sure thing)\b"
                         r"[\s,.!]*(please|sure|thanks?( you)?|go ahead|do it)?[\s.!]*$", re.I)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}|\b\w+ at \w+ dot \w+\b", re.I)
FIELD_NAMES = {"street": "street and house number", "postal_code": "postal code", "city": "city",
               "country": "country", "email": "new email address", "phone": "new phone number"}
EXCHANGE = re.compile(r"\b(exchange|swap|replace\w*|another one)\b", re.I)
# What a complaint says besides its reason: "I want to make a complaint", "I want a manager".
COMPLAINT_WORDS = re.compile(r"\b(?:(?:hi|hello|um|uh|so|yes|well)\W+)*(?:i(?:'d| would)? (?:want|like|need|wish) to |"
                             r"let me |can i |could i |i'?m calling to )?(?:make|file|lodge|raise|register|speak to|"
                             r"talk to|have|complain(?: about)?)?\s*(?:a |an |the |your )?(?:formal )?"
                             r"(?:complaint|manager|supervisor)(?: about| regarding| please)?|\bi want (?:a|the|your) "
                             r"(?:manager|supervisor)\b", re.I)
FAILED_FIELDS = {"quantity": "I can order between 1 and 20 of an item. How many would you like?",
                 "postal_code": "That postal code looks too long. Could you say it again?"}


class IntentModel:
    """Nearest example utterance by cosine similarity of MiniLM embeddings."""

    def __init__(self, embedder: Embedder, agents: dict[str, Agent]) -> None:
        self._embedder = embedder
        self._labels = [(agent.name, intent) for agent in agents.values()
                        for intent, examples in agent.intents.items() for _ in examples]
        self._examples = [e for agent in agents.values() for examples in agent.intents.values() for e in examples]
        self._vectors: np.ndarray | None = None

    async def classify(self, message: str) -> tuple[str, str, float]:
        if self._vectors is None:
            self._vectors = await self._embedder.embed(self._examples)
        scores = self._vectors @ (await self._embedder.embed([message]))[0]
        best = int(np.argmax(scores))
        agent, intent = self._labels[best]
        return agent, intent, float(scores[best])


class OfflineBrain:
    def __init__(self, intents: IntentModel) -> None:
        self._intents = intents

    async def respond(self, turn: Turn) -> None:
        await turn.say(await Policy(turn).decide(self._intents))

    async def warm(self) -> None:
        """Loads the model and embeds the examples now (seconds), not during the first caller's turn."""
        await self._intents.classify("hello")


class Policy:
    """What to do with one caller message: the intent handlers, each returning what to say.

    `state.pending` holds what the caller is answering: a read-back waiting for yes ({"tool", "arguments"}),
    a request missing fields ({"collect", "arguments", "missing"}), or an offer ({"offer", "reason"}).
    """

    def __init__(self, turn: Turn) -> None:
        self.turn, self.state = turn, turn.state
        self.preface = ""  # said before the reply, e.g. once the caller is verified
        self.message = turn.message

    async def decide(self, intents: IntentModel) -> str:
        state, message = self.state, self.message
        if (refused := guards.refusal(message)) is not None:
            state.pending = None
            return refused
        if state.pending and "resume" not in state.pending:
            answered = await self._answer_pending(message)
            if answered is not None:
                return answered
        if ANSWER_ONLY.match(message):
            return "There is nothing waiting for your confirmation. How can I help you?"
        stated = caller_facts(message, expecting=state.awaiting_verification is not None)
        if len(stated) == 1 and state.awaiting_verification:  # the other fact may be in the caller's last turn
            earlier = next((m.text for m in reversed(state.history) if m.role == "user"), "")
            stated = {**caller_facts(earlier, expecting=True), **stated}
        if len(stated) >= 2 or (stated and state.awaiting_verification):
            verified = await self.call("verify_caller", **stated)
            if not verified.ok:
                return f"I'm sorry, {verified.error}."
            self.preface = "Thank you, you are verified. "
            if not state.awaiting_verification:
                return self.reply("How can I help you?")
            message, state.awaiting_verification = state.awaiting_verification, None
            if state.pending and "resume" in state.pending:  # understood before verification was asked for
                resumed, state.pending = state.pending, None
                return await self._ask_first(resumed["resume"], resumed["arguments"])
        replies = [await self._one_request(part, intents) for part in guards.requests(message)]
        return self.reply(" ".join(replies))

    async def _one_request(self, message: str, intents: IntentModel) -> str:
        self.message = message
        if guards.ABUSE.search(message) and len(message.split()) < 10:
            return "I understand this is frustrating. I'm here to help: what can I do for you?"
        rule = guards.rule_intent(message)
        if rule is not None:
            agent, intent = rule
        else:
            agent, intent, similarity = await intents.classify(message)
            if (intent == "news" and not guards.NEWS.search(message)) or (
                    similarity < MIN_SIMILARITY and guards.QUESTION.search(message)):
                agent, intent = "knowledge_base", "knowledge"  # a question: the documents may know
            elif similarity < MIN_SIMILARITY:
                return ("I'm sorry, I did not understand that. I can help with your profile, orders, our products "
                        "and policies, news about the company, or emails.")
        if agent != self.state.active_agent:
            await self.turn.hand_off(agent, f"the caller asked about {intent.replace('_', ' ')}")
        try:
            return await getattr(self, intent)(message)
        except _Said as said:
            return said.text

    async def call(self, name: str, **arguments: Any) -> ToolCall:
        return await self.turn.tool(name, arguments)

    def reply(self, text: str) -> str:
        """`text` after the preface, which is said once."""
        text, self.preface = self.preface + text, ""
        return text

    def _failed(self, call: ToolCall) -> str:
        """A failed tool as a sentence and a next step, never the tool's own text."""
        if call.needs_verification:  # asked again once the caller has stated the facts
            self.state.awaiting_verification = self.message
            return f"{call.error}."
        if call.error and call.error.startswith("invalid arguments"):
            field = call.error.split(":", 1)[1].split(",")[0].strip()
            return FAILED_FIELDS.get(field, f"I didn't catch the {field.replace('_', ' ')}. Could you say it again?")
        if (call.error and "took" in call.error) or (call.error and "failed" in call.error):
            return "I'm sorry, that did not work just now. Could you try again in a moment?"
        if call.error and not call.error.startswith("I "):  # a rule of the tool: why it will not act
            return f"I'm sorry, I can't do that: {call.error}."
        return f"I'm sorry, {call.error}."

    async def _ask_first(self, tool: str, arguments: dict[str, Any]) -> str:
        """Reads a side effect back and keeps it pending until the caller says yes."""
        asked = await self.call(tool, **arguments)
        if not asked.ok:
            if asked.needs_verification:
                self.state.pending = {"resume": tool, "arguments": arguments}
            if tool == "create_order" and "in stock" in (asked.error or ""):
                self.state.pending = {"collect": tool, "arguments": {"product_id": arguments["product_id"]},
                                      "missing": ["quantity"]}
                return f"I'm sorry, there are {asked.error}. How many would you like instead?"
            return self._failed(asked)
        self.state.pending = {"tool": tool, "arguments": arguments}
        return self.reply(f"Just to confirm: {asked.result['read_back']}. Shall I go ahead?")

    async def _answer_pending(self, message: str) -> str | None:
        """The caller's answer to what is pending, or None when they moved on to something else."""
        pending = self.state.pending or {}
        if "offer" in pending:
            self.state.pending = None
            if YES.match(message):
                await self.call("transfer_to_human", reason=pending["reason"])
                return "I'm transferring you to a colleague now."
            if NO.match(message):
                return "Alright. Is there anything else I can help with?"
            return None
        corrected = self._corrected(pending, message)
        if corrected is not None:
            self.state.pending = None
            if not (missing := [f for f in pending.get("missing", []) if f not in corrected]):
                return await self._ask_first(pending.get("tool") or pending["collect"], corrected)
            self.state.pending = {**pending, "arguments": corrected, "missing": missing}
            return self._ask_for(missing)
        if "tool" in pending and (YES.match(message) or NO.match(message)):
            self.state.pending = None
            if NO.match(message):
                return "Alright, I have not changed anything."
            return await self.confirmed(pending)
        if "collect" in pending and NO.match(message):
            self.state.pending = None
            return "Alright, I have not changed anything."
        return None

    def _corrected(self, pending: dict[str, Any], message: str) -> dict[str, Any] | None:
        """The pending arguments with what the caller just corrected or supplied, or None if nothing."""
        tool = pending.get("tool") or pending.get("collect")
        arguments = dict(pending["arguments"])
        if tool == "create_order":
            amount = quantity(message)
            if amount is None or (YES.match(message) and not re.search(r"\d|make|instead|only|just", message)):
                return None
            return {**arguments, "quantity": amount}
        if tool == "update_contact":  # only the detail asked for or read back: "111 21" is not a phone number
            readers = {"email": email_in, "phone": phone_in}
            given = {k: v for k in pending.get("missing") or arguments if (v := readers[k](message))}
            return {**arguments, **given} if given else None
        if tool == "escalate_complaint":
            if NO.match(message) or YES.match(message) or "reason" not in pending.get("missing", []):
                return None
            return {"reason": message.strip()[:300]}
        if tool == "update_customer_address":
            if named := named_field(message):
                return {**arguments, named[0]: named[1]}
            home = arguments.get("country") or self._home_country()
            parsed = parse_address(message, home)
            changed = {k: v for k, v in parsed.fields().items()
                       if k != "country" or v != home or "country" not in arguments}
            asked = pending.get("missing", [])
            if asked and not changed and not NO.match(message) and not YES.match(message):
                changed = {asked[0]: _bare_field(asked[0], message)}
            if "postal_code" in asked and "postal_code" not in changed and (
                    code := postal_code_in(message, named_only=False)):
                changed["postal_code"] = code
            if not changed and (code := postal_code_in(message)):
                changed = {"postal_code": code}
            if not changed and "street" not in asked and (street := re.search(r"\b(it'?s|is)\s+(.+)$", message, re.I)):
                fixed = parse_address(street.group(2), home).street
                changed = {"street": fixed} if fixed else {}
            return {**arguments, **changed} if changed else None
        return None

    def _ask_for(self, missing: list[str]) -> str:
        return self.reply(f"Thank you. And what is the {FIELD_NAMES.get(missing[0], missing[0])}?")

    async def confirmed(self, pending: dict[str, Any]) -> str:
        done = await self.call(pending["tool"], **pending["arguments"], confirmed=True)
        if not done.ok:
            return self._failed(done)
        if isinstance(done.result, dict) and done.result.get("status") == "confirmation_required":
            # The tool layer takes a yes only in a later caller turn than its read-back: ask again.
            self.state.pending = pending
            return self.reply(f"Just to confirm: {done.result['read_back']}. Shall I go ahead?")
        if pending["tool"] == "create_order":
            order = done.result["order"]
            return self.reply(f"Your order is placed: {order['quantity']} x {await self._name(order['product_id'])}, "
                              f"{order['total']:.2f} in total. Your order number is {spoken_id(order['id'])}.")
        if pending["tool"] == "send_email":
            return self.reply(f"I've sent the email to {done.result['to']}.")
        if pending["tool"] in DONE_REPLIES:
            return self.reply(await DONE_REPLIES[pending["tool"]](self, done.result))
        address = done.result["address"]
        return self.reply(f"Done. Your address is now {address['street']}, {address['postal_code']} "
                          f"{address['city']}, {address['country']}.")

    def _home_country(self) -> str | None:
        return (self.turn.facts.get("customer") or {}).get("address", {}).get("country")

    # -- intents (the names used in the agents' YAML) ------------------------------------------

    async def profile_read(self, message: str) -> str:
        profile = await self.call("get_customer_profile")
        if not profile.ok:
            return self._failed(profile)
        p, a = profile.result, profile.result["address"]
        return self.reply(f"Here is what we have: {p['first_name']} {p['last_name']}, email {p['email']}, phone "
                          f"{p['phone']}, address {a['street']}, {a['postal_code']} {a['city']}, {a['country']}. "
                          "Is that all up to date?")

    async def address_change(self, message: str) -> str:
        parsed = parse_address(message, self._home_country())
        if not parsed.street and not parsed.postal_code:
            self.state.pending = {"collect": "update_customer_address", "arguments": {},
                                  "missing": ["street", "postal_code", "city"]}
            return self.reply("Of course. What is the new address?")
        if parsed.doubtful:
            unsure = {k: v for k, v in parsed.fields().items() if k not in parsed.doubtful}
            self.state.pending = {"collect": "update_customer_address", "arguments": unsure,
                                  "missing": [*parsed.doubtful, *parsed.missing]}
            return self.reply(f"I didn't quite get the postal code: in {parsed.country} it has "
                              f"{postal_form(parsed.country)}. Could you say it again?")
        if parsed.missing:
            self.state.pending = {"collect": "update_customer_address", "arguments": parsed.fields(),
                                  "missing": parsed.missing}
            return self._ask_for(parsed.missing)
        return await self._ask_first("update_customer_address", parsed.fields())

    async def catalog(self, message: str) -> str:
        return await self.price(message)

    async def order(self, message: str) -> str:
        products = await self.call("list_products")
        if not products.ok:
            return self._failed(products)
        product = best_product(message, products.result)
        if product is None:
            return self.reply("I couldn't find that among the products we have in stock right now. Which product "
                              "would you like? You can ask me what is available.")
        amount = quantity(message, ignore=product["name"])
        return await self._ask_first("create_order", {"product_id": product["id"],
                                                      "quantity": 1 if amount is None else amount})

    async def price(self, message: str) -> str:
        products = await self.call("list_products")
        if not products.ok:
            return self._failed(products)
        product = best_product(message, products.result)
        if product is None and guards.names_something(message):  # not one of ours: maybe the documents know
            await self.turn.hand_off("knowledge_base", "the caller asked about something not in the catalog")
            return await self.knowledge(message)
        if product is None:  # "what is available": the catalog
            offers = "; ".join(f"{p['name']} at {p['price']:.2f} {p['currency']}" for p in products.result[:10])
            return self.reply(f"We currently have {len(products.result)} products in stock, including: {offers}.")
        return self.reply(f"The {product['name']} costs {product['price']:.2f} {product['currency']}, and we have "
                          f"{product['in_stock']} in stock.")

    async def purchases(self, message: str) -> str:
        history = await self.call("get_purchase_history")
        if not history.ok:
            return self._failed(history)
        recent = "; ".join([f"{p['quantity']} x {await self._name(p['product_id'])} ({p['status']})"
                            for p in history.result[:5]])
        return self.reply(f"You have {len(history.result)} purchases. The latest: {recent or 'none'}.")

    async def order_status(self, message: str) -> str:
        if named := order_number_in(message):
            found = await self.call("get_order_status", order_number=named)
            if not found.ok:
                return self._failed(found)
            order = found.result
            return self.reply(f"Your order {spoken_id(order['id'])} of {order['quantity']} x {order['product']} from "
                              f"{spoken_date(order['purchased_at'])} is {order['status']}.")
        history = await self.call("get_purchase_history")
        if not history.ok:
            return self._failed(history)
        if not history.result:
            return self.reply("I can't find any orders on your account.")
        names = {p["product_id"]: await self._name(p["product_id"]) for p in history.result}
        mentioned = best_product(message, [{"id": i, "name": n} for i, n in names.items()], cutoff=60)
        latest = next((p for p in history.result if mentioned and p["product_id"] == mentioned["id"]),
                      history.result[0])
        return self.reply(f"Your order of {latest['quantity']} x {names[latest['product_id']]} from "
                          f"{spoken_date(latest['purchased_at'])} is {latest['status']}.")

    async def email(self, message: str) -> str:
        orders = [c["order"] for c in self._recent_tool_results() if c.get("status") == "ordered"]
        if orders:
            order = orders[-1]
            body = (f"Your order {order['id']}: {order['quantity']} x {await self._name(order['product_id'])}, "
                    f"{order['total']:.2f} in total.")
        else:  # the summary of the stored conversation so far
            summary = await self.call("summarize_conversation")
            body = summary.result["summary"] if summary.ok else "Here is the summary of your call with us."
        subject = f"{self.turn.facts['company']}: " + ("your order" if orders else "your call")
        arguments = {"subject": subject, "body": body}
        if address := EMAIL.search(message):  # only the address on file is accepted: the tool says so
            spoken = address.group(0).rstrip(".")
            arguments["to"] = re.sub(r"\s+at\s+", "@", re.sub(r"\s+dot\s+", ".", spoken))
        asked = await self.call("send_email", **arguments)
        if not asked.ok:
            if "on file" in (asked.error or ""):
                return self.reply("I'm sorry, I can only send email to the address we have on file for you. "
                                  "Shall I send it there instead?")
            return self._failed(asked)
        self.state.pending = {"tool": "send_email", "arguments": arguments}
        return self.reply(f"Just to confirm: {asked.result['read_back']}. Shall I go ahead?")

    async def knowledge(self, message: str) -> str:
        question = re.sub(r"^.*?(could you tell me|can you tell me|tell me)\s*", "", message, flags=re.I) or message
        found = await self.call("search_knowledge_base", query=question)
        if not found.ok:
            return self._failed(found)
        if not found.result["grounded"]:
            return self.reply("I'm sorry, I don't know: nothing in our documents answers that.")
        best = found.result["passages"][0]
        self.turn.cite(best["citation"])
        return self.reply(f"{answer_from(best['text'], question)} That is according to "
                          f"{spoken_citation(best['citation'])}.")

    async def news(self, message: str) -> str:
        found = await self.call("web_search", query=message)
        if not found.ok:
            return self._failed(found)
        if not found.result["results"]:
            return self.reply("I could not find anything about that on the web just now.")
        top = found.result["results"][0]
        self.turn.cite(top["citation"])
        return self.reply(f"{top['title']}: {top['snippet']} (source: {top['citation']})")

    async def back_to_router(self, message: str) -> str:
        await self.turn.hand_off(ENTRY_AGENT, "the caller has something else")
        return self.reply("Of course. What else can I help you with?")

    async def goodbye(self, message: str) -> str:
        await self.call("end_call", reason="the caller is done")
        return self.reply(f"Thank you for calling {self.turn.facts['company']}. Goodbye!")

    async def human(self, message: str) -> str:
        await self.call("transfer_to_human", reason="the caller asked for a person")
        return self.reply("I'm transferring you to a colleague now.")

    async def cancel_order(self, message: str) -> str:
        order = await self._order_meant(message, {"ordered"})
        return await self._ask_first("cancel_order", {"order_number": order})

    async def return_request(self, message: str) -> str:
        order = await self._order_meant(message, {"delivered"})
        return await self._ask_first("request_return", {
            "order_number": order, "reason": message.strip()[:300],
            "resolution": "exchange" if EXCHANGE.search(message) else "refund"})

    async def contact_change(self, message: str) -> str:
        given = {k: v for k, v in (("email", email_in(message)), ("phone", phone_in(message))) if v}
        if given:
            return await self._ask_first("update_contact", given)
        what = "phone" if re.search(r"\b(phone|mobile|number|cell)\b", message, re.I) else "email"
        self.state.pending = {"collect": "update_contact", "arguments": {}, "missing": [what]}
        return self.reply(f"Of course. What is the {FIELD_NAMES[what]}?")

    async def complaint(self, message: str) -> str:
        reason = COMPLAINT_WORDS.sub(" ", message).strip(" ,.!")
        if len(re.findall(r"\w+", reason)) < 3:
            self.state.pending = {"collect": "escalate_complaint", "arguments": {}, "missing": ["reason"]}
            return self.reply("I'm sorry to hear that. What happened? I'll pass it to a supervisor.")
        return await self._ask_first("escalate_complaint", {"reason": message.strip()[:300]})

    async def _order_meant(self, message: str, fitting: set[str]) -> str:
        """The number of the order the caller means: named, else the one of the product they name, else the
        newest that fits; raises _Said with what to tell the caller when their history cannot be read."""
        if named := order_number_in(message):
            return named
        history = await self.call("get_purchase_history")
        if not history.ok:
            raise _Said(self._failed(history))
        if not history.result:
            raise _Said(self.reply("I can't find any orders on your account."))
        names = {p["id"]: await self._name(p["product_id"]) for p in history.result}
        mentioned = best_product(message, [{"id": i, "name": n} for i, n in names.items()], cutoff=60)
        if mentioned:
            return mentioned["id"]
        return next((p["id"] for p in history.result if p["status"] in fitting), history.result[0]["id"])

    async def _done_cancel(self, result: dict[str, Any]) -> str:
        order = result["order"]
        return (f"Done: order {spoken_id(order['id'])} is cancelled, and "
                f"{spoken_money(result['refund'], result['currency'])} goes back to your original payment method.")

    async def _done_return(self, result: dict[str, Any]) -> str:
        return f"Your return is open as case {spoken_id(result['case']['id'])}: {result['next_step']}."

    async def _done_contact(self, result: dict[str, Any]) -> str:
        return (f"Done. Your email is now {spoken_email(result['email'])} and your phone number "
                f"{spoken_phone(result['phone'])}.")

    async def _done_complaint(self, result: dict[str, Any]) -> str:
        said = (f"I've recorded your complaint as case {spoken_id(result['case']['id'])}: "
                f"{result['next_step']}.")
        if result.get("transfer_possible"):
            moved = await self.call("transfer_to_human", reason=f"complaint {result['case']['id']}")
            if moved.ok:
                said += " I'm transferring you to a colleague now."
        return said

    async def _name(self, product_id: str) -> str:
        """A product's name for the reply: from a catalog listing this conversation already has, else looked up."""
        for call in [*self.turn.calls, *self.state.results]:
            if call.ok and call.name == "list_products":
                named = next((p["name"] for p in call.result if p["id"] == product_id), None)
                if named:
                    return named
        found = await self.call("get_product", product_id=product_id)
        return found.result["name"] if found.ok else "an item"

    def _recent_tool_results(self) -> list[dict[str, Any]]:
        return [call.result for call in self.state.results if isinstance(call.result, dict)]


class _Said(Exception):  # noqa: N818 (a reply, not an error)
    """What to say instead of going on: raised deep in an intent, caught where the reply is made."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


DONE_REPLIES = {"cancel_order": Policy._done_cancel, "request_return": Policy._done_return,
                "update_contact": Policy._done_contact, "escalate_complaint": Policy._done_complaint}


def _bare_field(field: str, message: str) -> str:
    value = re.sub(r"^\W*(it'?s|it is|the \w+ is|that'?s)\s+", "", in_digits(message).strip(" .,"), flags=re.I)
    return value.upper() if field == "postal_code" else value[:1].upper() + value[1:]

"""The offline brain: a dialogue policy. Intent from embeddings of the agents' example utterances,
slots from patterns, replies from templates; it acts only through the turn (tools, handoffs, what it
says), so the same rules hold as for the LLM brain. It says so when it did not understand.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from shared.agents.caller_facts import caller_facts
from shared.agents.definitions import ENTRY_AGENT, Agent
from shared.conversation.state import ToolCall
from shared.conversation.turn import Turn
from shared.knowledge.embeddings import Embedder

MIN_SIMILARITY = 0.35  # below it, no example is close enough to act on
YES = re.compile(r"^\s*(yes|yeah|yep|sure|correct|right|please do|go ahead|ok(ay)?|confirm)\b", re.I)
NO = re.compile(r"^\s*(no|nope|cancel|don'?t|stop)\b", re.I)
# A bare yes or no: an answer to a question, never a request of its own.
ANSWER_ONLY = re.compile(r"^\s*(yes|yeah|yep|sure|correct|right|ok(ay)?|no|nope)\b[\s,.!]*(please|thanks?( you)?)?"
                         r"[\s.!]*$", re.I)
ADDRESS = re.compile(r"(?P<street>\d+[^,]*?),\s*(?P<postal_code>[A-Z0-9-]{3,10})\s+(?P<city>[^,]+),\s*"
                     r"(?P<country>[^,.]+)", re.I)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10}
# The first number the caller says once the product's name (which may hold digits) is taken out.
QUANTITY = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBERS) + r")\b", re.I)


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


class Policy:
    """What to do with one caller message: the intent handlers, each returning what to say."""

    def __init__(self, turn: Turn) -> None:
        self.turn, self.state = turn, turn.state
        self.preface = ""  # said before the reply, e.g. once the caller is verified
        self.message = turn.message

    async def decide(self, intents: IntentModel) -> str:
        state, message = self.state, self.message
        if state.pending and (YES.match(message) or NO.match(message)):
            pending, state.pending = state.pending, None
            if NO.match(message):
                return "Alright, I have not changed anything."
            return await self.confirmed(pending)
        if ANSWER_ONLY.match(message):
            return "There is nothing waiting for your confirmation. How can I help you?"
        stated = caller_facts(message)
        if len(stated) >= 2 or (stated and state.awaiting_verification):
            verified = await self.call("verify_caller", **stated)
            if not verified.ok:
                return f"I'm sorry, {verified.error}."
            self.preface = "Thank you, you are verified. "
            if not state.awaiting_verification:
                return self.reply("How can I help you?")
            self.message, state.awaiting_verification = state.awaiting_verification, None
        agent, intent, similarity = await intents.classify(self.message)
        if similarity < MIN_SIMILARITY:
            return self.reply("I'm sorry, I did not understand that. I can help with your profile, orders, "
                              "our products and policies, news about the company, or emails.")
        if agent != state.active_agent:
            await self.turn.hand_off(agent, f"the caller asked about {intent.replace('_', ' ')}")
        return await getattr(self, intent)(self.message)

    async def call(self, name: str, **arguments: Any) -> ToolCall:
        return await self.turn.tool(name, arguments)

    def reply(self, text: str) -> str:
        return self.preface + text

    def _failed(self, call: ToolCall) -> str:
        if call.needs_verification:  # asked again once the caller has stated the facts
            self.state.awaiting_verification = self.message
            return self.reply(f"{call.error}.")
        return self.reply(f"I'm sorry, I couldn't do that: {call.error}.")

    async def _ask_first(self, tool: str, arguments: dict[str, Any]) -> str:
        """Reads a side effect back and keeps it pending until the caller says yes."""
        asked = await self.call(tool, **arguments)
        if not asked.ok:
            return self._failed(asked)
        self.state.pending = {"tool": tool, "arguments": arguments}
        return self.reply(f"Just to confirm: {asked.result['read_back']}. Shall I go ahead?")

    async def confirmed(self, pending: dict[str, Any]) -> str:
        done = await self.call(pending["tool"], **pending["arguments"], confirmed=True)
        if not done.ok:
            return self._failed(done)
        if pending["tool"] == "create_order":
            order = done.result["order"]
            return self.reply(f"Your order {order['id']} is placed: {order['quantity']} item(s), "
                              f"{order['total']:.2f} in total.")
        if pending["tool"] == "send_email":
            return self.reply(f"I've sent the email to {done.result['to']}.")
        address = done.result["address"]
        return self.reply(f"Done. Your address is now {address['street']}, {address['postal_code']} "
                          f"{address['city']}, {address['country']}.")

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
        found = ADDRESS.search(message)
        if not found:
            return self.reply("Please tell me the new address as street, postal code and city, and country.")
        return await self._ask_first("update_customer_address", {k: v.strip() for k, v in found.groupdict().items()})

    async def catalog(self, message: str) -> str:
        products = await self.call("list_products")
        if not products.ok:
            return self._failed(products)
        offers = "; ".join(f"{p['name']} at {p['price']:.2f} {p['currency']}" for p in products.result[:10])
        return self.reply(f"We currently have {len(products.result)} products in stock, including: {offers}.")

    async def order(self, message: str) -> str:
        products = await self.call("list_products")
        if not products.ok:
            return self._failed(products)
        words = set(re.findall(r"\w+", message.lower()))
        scored = [(len(words & set(re.findall(r"\w+", p["name"].lower()))), p) for p in products.result]
        overlap, product = max(scored, key=lambda pair: pair[0], default=(0, None))
        if product is None or overlap < 2:
            return self.reply("Which product would you like? You can ask me what is available.")
        quantity = QUANTITY.search(message.replace(product["name"], ""))
        amount = int(NUMBERS.get(quantity.group(1).lower(), quantity.group(1))) if quantity else 1
        return await self._ask_first("create_order", {"product_id": product["id"], "quantity": amount})

    async def purchases(self, message: str) -> str:
        history = await self.call("get_purchase_history")
        if not history.ok:
            return self._failed(history)
        recent = "; ".join(f"{p['quantity']} x {p['product_id']} ({p['status']})" for p in history.result[:5])
        return self.reply(f"You have {len(history.result)} purchases. The latest: {recent or 'none'}.")

    async def email(self, message: str) -> str:
        orders = [c for c in self._recent_tool_results() if c.get("status") == "ordered"]
        if orders:
            body = (f"Your order {orders[-1]['order']['id']}: {orders[-1]['order']['quantity']} x "
                    f"{orders[-1]['order']['product_id']}, {orders[-1]['order']['total']:.2f} in total.")
        else:  # the summary of the stored conversation so far
            summary = await self.call("summarize_conversation")
            body = summary.result["summary"] if summary.ok else "Here is the summary of your call with us."
        subject = f"{self.turn.facts['company']}: " + ("your order" if orders else "your call")
        arguments = {"subject": subject, "body": body}
        if address := EMAIL.search(message):  # only the address on file is accepted: the tool says so
            arguments["to"] = address.group(0).rstrip(".")
        return await self._ask_first("send_email", arguments)

    async def knowledge(self, message: str) -> str:
        question = re.sub(r"^.*?(could you tell me|can you tell me|tell me)\s*", "", message, flags=re.I) or message
        found = await self.call("search_knowledge_base", query=question)
        if not found.ok:
            return self._failed(found)
        if not found.result["grounded"]:
            return self.reply("I'm sorry, I don't know: nothing in our documents answers that.")
        best = found.result["passages"][0]
        self.turn.cite(best["citation"])
        return self.reply(f"According to our documents: {best['text']} (source: {best['citation']})")

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

    def _recent_tool_results(self) -> list[dict[str, Any]]:
        return [call.result for call in self.state.results if isinstance(call.result, dict)]

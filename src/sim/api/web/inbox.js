// The web inbox, live: new deliveries and activity changes arrive on the event stream and are
// drawn as the server draws them. Text is only ever set with textContent, never as HTML:
// payloads are whatever a backend sent.
"use strict";

(function () {
  const list = document.getElementById("list");
  const activities = document.getElementById("activities");
  const empty = document.getElementById("empty");
  const live = document.getElementById("live");
  const form = document.querySelector("form.filters");
  const SHOWN = 200;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function value(name) {
    const input = form && form.elements.namedItem(name);
    return input ? String(input.value || "").trim() : "";
  }

  function tokenHex(text) {
    return text.toLowerCase().replace(/[^0-9a-f]/g, "");
  }

  // The same rules as the server's filter.
  function matches(d) {
    const token = tokenHex(value("token"));
    if (token && d.token !== token) return false;
    const topic = value("topic");
    if (topic && d.topic !== topic) return false;
    const pushType = value("push_type");
    if (pushType && d.push_type !== pushType) return false;
    const text = value("text").toLowerCase();
    if (text) {
      const hay = (d.apns_id + " " + d.topic + " " + JSON.stringify(d.payload)).toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  }

  function banner(payload) {
    const aps = (payload && payload.aps) || {};
    const alert = aps.alert;
    const out = { title: null, subtitle: null, body: null };
    if (typeof alert === "string") out.body = alert;
    else if (alert && typeof alert === "object") {
      for (const k of ["title", "subtitle", "body"]) {
        if (typeof alert[k] === "string") out[k] = alert[k];
      }
    }
    out.badge = Number.isInteger(aps.badge) ? aps.badge : null;
    const s = aps.sound;
    out.sound = typeof s === "string" ? s : s && typeof s.name === "string" ? s.name : null;
    out.silent = !out.title && !out.subtitle && !out.body && out.badge === null && out.sound === null;
    return out;
  }

  function card(d) {
    const a = el("article", "notif new");
    a.dataset.apnsId = d.apns_id;
    a.dataset.token = d.token;
    a.dataset.topic = d.topic;
    a.dataset.pushType = d.push_type;
    const head = el("div", "head");
    head.append(el("span", "app", d.topic));
    const t = el("time", null, String(d.time).slice(11, 19));
    t.dateTime = d.time;
    head.append(t);
    a.append(head);
    const b = banner(d.payload);
    for (const k of ["title", "subtitle", "body"]) {
      if (b[k] !== null) a.append(el("div", k, b[k]));
    }
    const meta = [d.push_type];
    if (b.badge !== null) meta.push("badge " + b.badge);
    if (b.sound !== null) meta.push("sound " + b.sound);
    if (b.silent) meta.push("silent");
    if (d.channel) meta.push("channel " + d.channel);
    a.append(el("div", "meta", meta.join(" · ")));
    const details = el("details");
    details.append(el("summary", null, "Headers and JSON"));
    const table = el("table", "headers");
    const rows = [["device", d.token]].concat(d.headers || []);
    for (const [name, v] of rows) {
      const tr = el("tr");
      tr.append(el("th", null, name), el("td", null, v));
      table.append(tr);
    }
    details.append(table, el("pre", "json", JSON.stringify(d.payload, null, 2)));
    a.append(details);
    return a;
  }

  function activityCard(act) {
    const a = el("article", "activity new");
    a.dataset.activity = act.id;
    const head = el("div", "head");
    head.append(el("span", "app", act.topic), el("span", "phase", act.ended_at ? "ended" : "active"));
    a.append(head);
    a.append(el("div", "title", act.alert_title || act.attributes_type || act.topic));
    if (act.alert_body) a.append(el("div", "body", act.alert_body));
    a.append(el("pre", "json", JSON.stringify(act.content_state, null, 2)));
    a.append(el("div", "meta", act.pushes + " pushes applied"));
    if (act.channel) a.append(el("div", "meta", "start asked to follow channel " + act.channel));
    if (act.token_requested) a.append(el("div", "meta", "start asked for its own update token"));
    // The token updates go to: the one the phone made, when a push started it.
    a.append(el("div", "meta", (act.start_token ? "started by a push to " + act.start_token + "; " : "") + "update token " + act.id));
    if (act.last_ignored) a.append(el("div", "meta ignored", "last ignored: " + ignoredWords(act.last_ignored.why)));
    return a;
  }

  // Why the phone dropped a push, in the words the server-rendered page uses.
  function ignoredWords(w) {
    switch (w && w.why) {
      case "not_newer": return "older than the last update (timestamp " + w.last + "): a phone ignores it";
      case "ended": return "the activity has ended: a phone ignores it";
      case "unreadable": return "no valid event or timestamp: a phone ignores it";
      case "start_on_channel": return "a broadcast cannot start a Live Activity: a phone ignores it";
      case "to_start_token": return "sent to the push-to-start token: updates go to the activity's own token (" + w.activity + ")";
      default: return String(w && w.why);
    }
  }

  function onDelivery(d) {
    if (!matches(d)) return;
    list.insertBefore(card(d), empty ? empty.nextSibling : list.firstChild);
    if (empty) empty.hidden = true;
    const cards = list.querySelectorAll("article.notif");
    for (let i = SHOWN; i < cards.length; i++) cards[i].remove();
  }

  function onActivity(act) {
    for (const old of activities.querySelectorAll("article.activity")) {
      if (old.dataset.activity === act.id) old.remove();
    }
    activities.insertBefore(activityCard(act), activities.firstChild);
  }

  function parse(e) {
    try {
      return JSON.parse(e.data);
    } catch (_) {
      return null;
    }
  }

  if (!window.EventSource || !list) return;
  const source = new EventSource("/api/v1/events");
  source.onopen = function () {
    live.textContent = "live";
    live.classList.add("on");
  };
  source.onerror = function () {
    live.textContent = "reconnecting…";
    live.classList.remove("on");
  };
  source.addEventListener("delivery", function (e) {
    const d = parse(e);
    if (d) onDelivery(d);
  });
  source.addEventListener("activity", function (e) {
    const a = parse(e);
    if (a) onActivity(a);
  });
})();

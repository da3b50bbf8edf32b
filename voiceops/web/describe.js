// Plain words for what a reply changed ("Job #104 closed · 2 h billed"); shared by app and console.

const VERBS = {
  close_ticket: "closed", start_ticket: "started", update_ticket: "updated", order_parts: "parts ordered",
  reschedule_ticket: "rescheduled", next_ticket: "assigned to you", undo: "change undone",
};

function hours(h) {
  return `${Number.isInteger(h) ? h : Number(h.toFixed(2))} h billed`;
}

/** One change -> "Job #104 closed · 2 h billed · capacitor, coils". */
export function describeChange(change) {
  const bits = [];
  let verb = VERBS[change.action] || change.action.replace(/_/g, " ");
  if (change.reverted) verb = "change undone";
  else if (change.new_status && change.new_status !== change.old_status && change.action !== "next_ticket") {
    verb = change.new_status === "in_progress" ? "started" : change.new_status;
  }
  bits.push(`Job #${change.ticket_id} ${verb}`);
  if (change.hours_billed) bits.push(hours(change.hours_billed));
  if (change.parts && change.parts.length) {
    bits.push((change.action === "order_parts" ? "ordered: " : "") + change.parts.join(", "));
  }
  if (change.scheduled_for) bits.push(`to ${change.scheduled_for}`);
  if (change.note && change.action === "update_ticket" && !change.parts.length && !change.hours_billed) {
    bits.push("note added");
  }
  return bits.join(" · ");
}

/** Every change of a reply, or a fallback line when nothing was written. */
export function describeChanges(changes, status) {
  if (changes && changes.length) return changes.map(describeChange);
  if (status === "needs_clarification") return ["Nothing changed yet: answer the question"];
  if (status === "failed") return ["Nothing changed"];
  return ["No changes"];
}

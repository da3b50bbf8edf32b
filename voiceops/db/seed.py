"""Demo data: a few technicians, customers and open tickets, including Johnson's #104 for tech-gosh.

Seeding is idempotent. ``reset=True`` puts the demo tickets back to their starting state (open,
original technician, no parts, hours or notes) so the demo can be run again and again."""

from __future__ import annotations

import psycopg

TECHNICIANS = [
    ("tech-gosh", "Sam Gosh"),
    ("tech-rivera", "Ana Rivera"),
    ("tech-okafor", "Chidi Okafor"),
]

# (ticket id, customer, address, technician or None for the unassigned pool, hours from 8:00, description)
TICKETS = [
    (104, "Johnson", "14 Maple Avenue", "tech-gosh", 0, "AC not cooling"),
    (105, "Patel", "27 Birch Road", "tech-gosh", 2, "Water heater leaking"),
    (106, "Nguyen", "3 Cedar Lane", "tech-gosh", 4, "Furnace makes a banging noise"),
    (107, "Bright Smiles Orthodontics", "200 Main Street", None, 5, "No hot water in the sterilisation room"),
    (108, "Kowalski", "9 Spruce Court", None, 6, "Breaker keeps tripping"),
    (2231, "Garcia", "41 Elm Street", "tech-rivera", 0, "Kitchen sink clogged"),
    (2240, "Garcia", "88 Oak Street", "tech-rivera", 2, "Toilet runs constantly"),
    (2250, "Hartmann", "5 Willow Way", "tech-rivera", 4, "Heat pump short-cycling"),
    (3101, "Summit Fitness", "600 Commerce Drive", "tech-okafor", 0, "Shower heads low pressure"),
    (3102, "Miller", "12 Aspen Street", "tech-okafor", 3, "Condenser fan not spinning"),
]

PARTS = [
    "capacitor", "contactor", "condenser fan motor", "compressor", "coils", "evaporator coil", "thermostat",
    "water heater", "expansion tank", "anode rod", "pressure relief valve", "gfci outlet", "breaker", "panel",
    "p-trap", "wax ring", "flapper", "fill valve", "shower cartridge", "shower head", "air filter",
    "blower motor", "igniter", "flame sensor", "heat exchanger", "circuit board", "refrigerant",
    "garbage disposal", "sump pump", "float switch", "ballast", "drain line", "supply line", "shutoff valve",
]

DEMO_TICKET_IDS = [t[0] for t in TICKETS]


def seed(conn: psycopg.Connection, *, reset: bool = False) -> dict[str, int]:
    """Insert the demo rows (inside the caller's transaction); return counts."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO technicians (id, name) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING", TECHNICIANS)
        cur.executemany("INSERT INTO parts_catalogue (name) VALUES (%s) ON CONFLICT DO NOTHING", [(p,) for p in PARTS])
    for ticket_id, customer, address, technician, offset_h, description in TICKETS:
        customer_id = conn.execute(
            """INSERT INTO customers (name, address) VALUES (%s, %s)
               ON CONFLICT (name, address) DO UPDATE SET name = EXCLUDED.name RETURNING id""",
            (customer, address),
        ).fetchone()[0]
        conn.execute(
            """INSERT INTO tickets (id, customer_id, technician_id, description, scheduled_start, scheduled_end)
               VALUES (%s, %s, %s, %s, date_trunc('day', now()) + make_interval(hours => 8 + %s),
                       date_trunc('day', now()) + make_interval(hours => 10 + %s))
               ON CONFLICT (id) DO NOTHING""",
            (ticket_id, customer_id, technician, description, offset_h, offset_h),
        )
        if reset:
            conn.execute("SELECT set_config('voiceops.undo', 'on', true)")
            for table in ("ticket_parts", "billing_entries", "ticket_notes"):
                conn.execute(f"DELETE FROM {table} WHERE ticket_id = %s", (ticket_id,))
            conn.execute(
                """UPDATE tickets SET status = 'open', technician_id = %s, reschedule_note = NULL,
                          scheduled_start = date_trunc('day', now()) + make_interval(hours => 8 + %s),
                          scheduled_end = date_trunc('day', now()) + make_interval(hours => 10 + %s)
                    WHERE id = %s""",
                (technician, offset_h, offset_h, ticket_id),
            )
            conn.execute("SELECT set_config('voiceops.undo', 'off', true)")
    if reset:
        conn.execute("DELETE FROM dialog_state WHERE technician_id = ANY(%s)", ([t[0] for t in TECHNICIANS],))
    conn.execute("SELECT setval('ticket_number_seq', greatest((SELECT max(id) FROM tickets), 1000))")
    return {"technicians": len(TECHNICIANS), "tickets": len(TICKETS), "parts": len(PARTS)}

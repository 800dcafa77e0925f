# Textos en español (idioma por defecto).

## Bot
start-welcome = ¡Hola, { $name }! Soy Puente, el asistente del Programa de Buenas Prácticas de { $city }.
    Con /proponer registras un intercambio (Aprende) que tu entidad quiere hacer.
    Con /practica postulas una buena práctica de tu entidad para sistematizarla y promoverla (Enseña).
    Con /idioma cambias el idioma. Con /cancelar detienes lo que estés haciendo.
help-text = Comandos:
    /proponer — proponer un intercambio de conocimiento (Aprende)
    /practica — postular una buena práctica de tu entidad (Enseña)
    /mis — ver tus intercambios y prácticas, con su fase y fecha
    /ver AP-2026-0007 — ver la ficha de un ítem por su código
    /editar AP-2026-0007 — cambiar un campo de un ítem
    /entregar AP-2026-0007 — entregar lo que pide la fase actual
    /yo — ver tus datos en el programa
    /misdatos — ver todo lo que Puente guarda de ti; /olvidarme — pedir que lo borre
help-text-practices = Prácticas de Enseña: /hitos, /participantes, /promocion, /acompanantes seguidos del código; /solicitudes — solicitudes de colaboración abiertas
help-text-evaluators = Evaluadores: /ver EN-2026-0001 para leer una práctica que evalúas; /puntuar EN-2026-0001 seguido de tu comentario
help-text-coordinators = Coordinación y administración:
    /avanzar, /devolver, /pausar, /reanudar, /retirar, /plazo seguidos del código — cambiar el curso de un ítem
    /evaluadores, /decidir, /moverhito, /solicitud seguidos del código — evaluar una práctica, mover un hito, registrar una solicitud de colaboración
    /sugerencias seguido del código — prácticas y expertos sugeridos para un intercambio; /catalogo — agregar y corregir el catálogo
    /invitar — invitar a una persona; /personas — ver, cambiar y quitar personas; /quitar — quitar a alguien
    /informe — el informe del programa al día de hoy (PDF; /informe 2016-2019 para otro período); /panel — un enlace al panel de coordinación
help-text-end = /idioma — cambiar el idioma (español / English)
    /cancelar — cancelar la conversación en curso
language-chosen = Listo: te hablaré en español.
language-choose = ¿En qué idioma prefieres que te hable?
propose-ask-title = Escribe un título corto para el intercambio (máximo { $limit } caracteres).
practice-ask-title = Escribe un título corto para la práctica (máximo { $limit } caracteres).
propose-title-too-long = El título tiene { $length } caracteres y el máximo es { $limit }. Escríbelo más corto, por favor.
propose-ask-need = Describe el reto institucional que quieren resolver aprendiendo de otras ciudades (máximo { $limit } caracteres).
propose-ask-summary = Describe la práctica: qué hace, qué resultados tiene y por qué vale la pena compartirla (máximo { $limit } caracteres).
propose-description-too-long = La descripción tiene { $length } caracteres y el máximo es { $limit }. Escríbela más corta, por favor.
propose-empty = Tu mensaje no tiene texto visible. Escribe la respuesta con letras o números, por favor.
propose-sent = Recibí tu propuesta de intercambio «{ $title }». Te aviso cuando quede registrada.
practice-sent = Recibí la postulación de tu práctica «{ $title }». Te aviso cuando quede registrada.
propose-failed = No pude enviar tu propuesta de intercambio en este momento. Vuelve a enviar la descripción en unos minutos; lo demás queda guardado. Con /cancelar la descartas.
practice-failed = No pude enviar la postulación de tu práctica en este momento. Vuelve a enviar la descripción en unos minutos; lo demás queda guardado. Con /cancelar la descartas.
cancelled = { $form ->
        [practice] Cancelado: descarté la postulación de práctica que estabas llenando. No se guardó nada.
       *[exchange] Cancelado: descarté la propuesta de intercambio que estabas llenando. No se guardó nada.
    }
nothing-to-cancel = No había nada en curso que cancelar.
form-dropped = { $form ->
        [practice] Dejé sin terminar la postulación de práctica que estabas llenando; no se guardó.
       *[exchange] Dejé sin terminar la propuesta de intercambio que estabas llenando; no se guardó.
    }
form-waiting = No entendí eso. Sigo esperando tu respuesta a la pregunta anterior; con /cancelar dejas el formulario.
slow-down = Estás enviando mensajes muy rápido. Espera unos segundos y vuelve a escribirme; los mensajes que lleguen mientras tanto no los leeré.
unexpected-error = Lo siento, algo falló de mi lado y ya quedó registrado. Si vuelve a pasar, comparte esta referencia con quien administra Puente: { $reference }
unknown-command = No entendí. Escribe /ayuda para ver lo que puedo hacer.

## Notificaciones
proposal-registered = ✅ Tu propuesta { $ref }«{ $title }» quedó registrada. Está en la fase 1: { $phase }.
coordinator-new-proposal = 🆕 Nueva propuesta de { $entity } en { $line }: { $ref }«{ $title }». Fase 1: { $phase }, vence el { $due }.
phase-overdue = ⏰ { $ref }«{ $title }» ({ $entity }) va atrasado: la fase { $phase } vencía el { $due } ({ $days ->
    [one] 1 día
   *[other] { $days } días
  } de retraso).
command-rejected = ⚠️ No pude registrar tu solicitud: { $reason }
reason-not_your_entity = solo puedes actuar sobre los elementos de tu propia entidad.
reason-unknown_sector = el sector no existe en la configuración del programa.
reason-unknown_entity = la entidad no existe en la configuración del programa.
reason-unknown_item = no encontré ese intercambio o práctica.
reason-nothing_to_change = no había nada que cambiar.
reason-wrong_city = la solicitud es de otra ciudad.
reason-not_a_member = no estás en el directorio del programa. Pide una invitación a la coordinación.
reason-not_allowed = tu rol no permite hacer eso.
reason-wrong_code = ese código de invitación no existe. Revisa que esté completo (12 caracteres).
reason-used_code = ese código de invitación ya se usó. Pide uno nuevo a quien te invitó.
reason-expired_code = ese código de invitación venció. Pide uno nuevo a quien te invitó.
reason-locked_out = llegaron demasiados códigos equivocados desde tu cuenta. Espera una hora e inténtalo de nuevo.
reason-already_member = ya haces parte del programa. Escribe /yo para ver tus datos.
person-joined = 👋 ¡Te damos la bienvenida, { $name }! Ya haces parte del Programa de Buenas Prácticas con el rol de { $role }.
    Escribe /ayuda para ver lo que puedes hacer.
person-joined-for-entity = 👋 ¡Te damos la bienvenida, { $name }! Ya haces parte del Programa de Buenas Prácticas con el rol de { $role } de { $entity }.
    Escribe /ayuda para ver lo que puedes hacer.
person-removed = Ya no haces parte del Programa de Buenas Prácticas en Puente. Tus intercambios y prácticas siguen con tu entidad. Si crees que es un error, habla con la coordinación del programa.
person-changed = Tu rol en el Programa de Buenas Prácticas cambió: ahora eres { $role }.
person-changed-for-entity = Tu rol en el Programa de Buenas Prácticas cambió: ahora eres { $role } de { $entity }.
people-choose-role = ¿Qué rol tendrá { $name }?
people-choose-new-entity = ¿De qué entidad será { $name }?
people-change-sent = Pedí cambiar a { $name } a { $role }; se le avisará en su idioma.
role-staff = personal de entidad
role-coordinator = coordinador(a)
role-evaluator = evaluador(a)
role-administrator = administrador(a)

## Menú de comandos del bot
mine-empty = Aún no tienes intercambios ni prácticas registrados. Con /proponer o /practica empiezas uno.
mine-header = Intercambios y prácticas de { $whose } ({ $count }), página { $page } de { $pages }:
mine-item = { $ref }«{ $title }» · { $line }
    Fase { $number } de { $phases }: { $phase } · vence el { $due }{ $late ->
        [yes] {" "}⏰ atrasada
       *[no] {""}
    }
page-previous = ‹ Anterior
page-next = Siguiente ›
menu-mine = Ver mis intercambios y prácticas
invitation-checking = Estoy revisando tu código de invitación…
invitation-code-invalid = Eso no parece un código de invitación: son 12 letras y números. Revísalo y vuelve a intentarlo con /start seguido del código.
me-unknown = Aún no estás en el directorio del programa. Pide una invitación a la coordinación del programa y abre el enlace que te envíen.
me-card = { $name }
    Rol: { $role }
    Entidad: { $entity }
    Idioma: { $speaks }{ $expertise }
language-name-es = español
language-name-en = inglés
invite-not-allowed = Solo la coordinación y la administración del programa pueden invitar personas.
invite-choose-role = ¿Con qué rol entra la persona que invitas?
invite-choose-entity = ¿De qué entidad es?
invite-ask-name = Escribe el nombre de la persona tal como el programa debe mostrarlo (máximo { $limit } caracteres).
invite-created = Invitación creada para { $name } ({ $role }). Compártele este enlace; sirve una sola vez durante { $hours } horas:
    { $link }
    También puede enviar /start { $code } al bot.
invite-cancelled = Cancelado: no se creó ninguna invitación.
invite-button-refused = Ese botón ya no sirve. Empieza de nuevo con /invitar.
directory-send-failed = No pude enviar tu solicitud en este momento. Inténtalo de nuevo en unos minutos.
menu-me = Ver mis datos en el programa
menu-invite = Invitar a una persona
not-a-member = Hola. Soy Puente, el asistente del Programa de Buenas Prácticas, y atiendo solo a las personas invitadas al programa. Pide una invitación a la coordinación del programa y abre el enlace que te envíen (o escríbeme /start seguido del código).
propose-choose-entity = ¿Para qué entidad es? Elígela con los botones.
people-choose-entity = ¿De qué entidad quieres ver a las personas?
people-program = Coordinación y administración
people-header = { $entity }: { $count ->
        [one] 1 persona
       *[other] { $count } personas
    }
people-none = Nadie de { $entity } está en el programa todavía.
people-confirm-removal = ¿Quitar a { $name } ({ $role }) del programa? No podrá hacer nada más; sus intercambios y prácticas siguen con su entidad.
people-yes-remove = Sí, quitar
people-no = No
people-removal-sent = Pedí quitar a { $name } del programa; se le avisará en su idioma.
people-kept = No quité a nadie.
people-button-refused = Ese botón ya no sirve. Empieza de nuevo con /personas.
menu-people = Ver, cambiar y quitar personas del programa
menu-start = Empezar
menu-propose = Proponer un intercambio (Aprende)
menu-practice = Postular una buena práctica (Enseña)
menu-language = Cambiar el idioma
menu-help = Ver la ayuda
menu-cancel = Cancelar la conversación en curso
menu-my-data = Ver todo lo que Puente guarda de mí
menu-forget-me = Pedir que Puente borre mis datos
my-data-none = Puente no guarda datos personales de esta cuenta de Telegram.
my-data = Lo que Puente guarda de ti (Ley 1581 de 2012, habeas data)
    Nombre: { $name }
    Cuenta de Telegram: { $account }
    Rol: { $role }
    Entidad: { $entity }{ $expertise }
    Idioma del programa: { $speaks }; idioma de este chat: { $chosen }
    En el programa desde: { $joined } ({ $status ->
        [active] participación activa
       *[removed] ya no participas
    })
    Intercambios y prácticas que propusiste: { $count }
    { $titles }{ $more ->
        [0] {""}
       *[other] {" "}(y { $more } más: /mis)
    }
    Además: la invitación con la que entraste (quién te invitó y cuándo), los mensajes que Puente te envió (texto y fecha de entrega) y, en este chat, el formulario que tengas a medio llenar.
    Tus propuestas quedan a nombre de tu entidad. Para borrar tus datos personales: /olvidarme
forget-me-confirm = ¿Borrar tus datos personales de Puente? Se borran tu nombre, tu cuenta de Telegram, tu idioma, lo que tengas a medio escribir aquí y los mensajes que Puente te envió. Tus intercambios y prácticas quedan a nombre de tu entidad. Después no podrás usar Puente sin una nueva invitación.
forget-me-yes = Sí, borrar mis datos
forget-me-no = No, conservarlos
forget-me-kept = Bien, no se borra nada.
forget-me-sent = Listo: Puente está borrando tus datos personales de todos sus servicios. Este es el último mensaje que recibirás; si algún día quieres volver, pide una nueva invitación.
menu-remove = Quitar a una persona del programa
people-choose-entity-to-remove = ¿De qué entidad es la persona que quieres quitar del programa?
people-page = página { $page } de { $pages }
me-expertise = Sectores: { $sectors } · Temas: { $topics }
invite-choose-sectors = ¿En qué sectores evalúa? Toca cada sector para marcarlo o desmarcarlo y luego «Listo».
invite-sectors-done = Listo
invite-ask-topics = Escribe los temas que conoce, separados por comas (hasta { $most }, de 2 a 60 caracteres cada uno), o - si no quieres indicar ninguno.
reason-not_current_phase = esa fase no es la actual del ítem (ya se completó o aún no empieza). Revisa con /ver.
reason-first_phase = el ítem está en su primera fase: no hay una fase anterior.
reason-on_hold = el ítem está en pausa. Reanúdalo primero con /reanudar.
reason-not_on_hold = el ítem no está en pausa.
reason-item_ended = el ítem ya terminó (cerrado o retirado).
phase-advanced = ➡️ { $ref }«{ $title }» completó la fase { $done } y pasó a la fase { $number } de { $phases }: { $phase }, vence el { $due }.
phase-returned = ↩️ { $ref }«{ $title }» volvió a la fase { $number } de { $phases }: { $phase }, vence el { $due }. Nota: { $note }
item-on-hold = ⏸ { $ref }«{ $title }» quedó en pausa en la fase { $number }: { $phase }. Motivo: { $reason }
item-resumed = ▶️ { $ref }«{ $title }» se reanudó en la fase { $number }: { $phase }, vence el { $due }.
item-withdrawn = ✖️ { $ref }«{ $title }» fue retirado del programa. Motivo: { $reason }
item-closed = 🏁 { $ref }«{ $title }» completó sus { $phases } fases y quedó cerrado.
menu-view = Ver la ficha de un ítem por su código
menu-advance = Completar la fase actual de un ítem (coordinación)
menu-return = Devolver un ítem a la fase anterior (coordinación)
menu-hold = Poner un ítem en pausa (coordinación)
menu-resume = Reanudar un ítem en pausa (coordinación)
menu-withdraw = Retirar un ítem del programa (coordinación)
course-usage = Escribe { $command } seguido del código del ítem, por ejemplo: { $command } { $example }
course-example-note = Falta la ficha de necesidad
course-example-reason = La entidad cambió de equipo
item-not-found = No encontré el ítem { $code }. Revisa el código con /mis.
course-not-allowed = Solo la coordinación y la administración del programa pueden cambiar el curso de un ítem.
course-not-active = Este ítem no está activo (está en pausa o ya terminó): no hay una fase que completar.
course-confirm-advance = ¿Completar la fase { $number } de { $phases } ({ $phase }) de { $ref } «{ $title }»?
    Entregable de la fase: { $deliverable }
course-yes-advance = Sí, completar la fase { $number }
course-advance-sent = Pedí completar la fase { $number }. Te aviso, a ti y a la entidad, cuando quede registrado.
course-confirm-withdrawal = ¿Retirar { $ref } «{ $title }» del programa? Termina aquí y no se puede reanudar.
    Motivo: { $reason }
course-yes-withdraw = Sí, retirarlo
course-kept = Bien, no cambié nada.
course-sent = Listo, lo pedí. Te aviso, a ti y a la entidad, cuando quede registrado.
course-note-missing = Escribe la nota después del código, en el mismo mensaje: por qué vuelve a la fase anterior.
course-reason-missing = Escribe el motivo después del código, en el mismo mensaje.
course-text-too-long = El texto tiene { $length } caracteres y el límite es { $limit }. Acórtalo, por favor.
course-button-refused = Ese botón ya no sirve. Empieza de nuevo con el comando.
card-title = { $ref }«{ $title }»
card-line = { $line } · { $entity }
card-progress = { $bar } · { $phase } · { $status ->
        [on_hold] ⏸ en pausa
        [closed] 🏁 cerrado
        [withdrawn] ✖️ retirado
        [not_selected] ✖️ no seleccionada
       *[active] vence el { $due }{ $late ->
            [yes] {" "}⏰ atrasada
           *[no] {""}
        }
    }
card-deliverable = Entregable de la fase: { $deliverable }
card-changes = Últimos cambios:
card-change = • { $on }: { $kind ->
        [phase-started] pasó a la fase { $number }
        [phase-returned] volvió a la fase { $number }
        [item-on_hold] en pausa
        [item-resumed] reanudado
        [phase-due_date_moved] nueva fecha de la fase { $number }
        [item-withdrawn] retirado
       *[item-closed] cerrado
    }{ $text }
deliverable-kept = 📎 { $ref }«{ $title }»: quedó registrado «{ $deliverable }» (fase { $number }). Faltan: { $missing }.
deliverable-kept-all-in = 📎 { $ref }«{ $title }»: quedó registrado «{ $deliverable }» (fase { $number }). Ya están todos los entregables obligatorios de la fase; la coordinación puede completarla.
deliverables-complete = 📦 { $ref }«{ $title }» tiene todos los entregables obligatorios de la fase { $number } ({ $phase }). Para completarla: /avanzar { $code }
menu-deliver = Entregar lo que pide la fase actual de un ítem
deliver-nothing = La fase { $phase } no pide entregables en Puente.
deliver-choose = { $ref } «{ $title }», fase { $number }: { $phase }. ¿Qué quieres entregar? (✓ ya entregado; * opcional)
deliver-phase-moved = El ítem ya no está en esa fase. Empieza de nuevo con /entregar.
deliver-ask-text = Escribe «{ $name }».
deliver-ask-number = Escribe «{ $name }» con un número.
deliver-ask-date = Escribe «{ $name }» como AAAA-MM-DD, por ejemplo 2027-03-15.
deliver-ask-link = Envía el enlace de «{ $name }» (empieza por https://).
deliver-ask-document = Envía el archivo de «{ $name }»: pdf, docx, xlsx, pptx, odt, ods, png o jpg, de hasta 20 MB.
deliver-ask-choice = Elige «{ $name }»:
deliver-sent = Recibí «{ $name }». Te aviso cuando quede registrado.
deliver-cancelled = Cancelado: no entregué nada.
deliver-dropped = Dejé de esperar el entregable. Envía de nuevo el comando que escribiste.
deliver-refused-invalid-text = Ese texto está vacío. Escríbelo con letras o números.
deliver-refused-invalid-number = Eso no es un número. Escribe solo el número, por ejemplo 12.
deliver-refused-invalid-out-of-range = Ese número está fuera del rango que pide el programa.
deliver-refused-invalid-date = No pude leer esa fecha. Escríbela como AAAA-MM-DD, por ejemplo 2027-03-15.
deliver-refused-invalid-past-date = Esa fecha ya pasó; debe ser de hoy en adelante.
deliver-refused-invalid-choice = Elige una de las opciones con los botones.
deliver-refused-invalid-link = Eso no es un enlace. Envía una dirección que empiece por https://.
deliver-refused-invalid-too-long = El texto es demasiado largo (máximo 1000 caracteres).
deliver-refused-invalid-document = Aquí va un archivo: envíalo como documento.
deliver-refused-document-empty = El archivo está vacío.
deliver-refused-document-too-big = El archivo pasa de 20 MB, el límite de Telegram para los bots.
deliver-refused-document-not-accepted = Solo acepto pdf, docx, xlsx, pptx, odt, ods, png o jpg.
deliver-refused-document-content-mismatch = El contenido del archivo no corresponde a su extensión; no lo guardé.
deliver-refused-document-unreadable = No pude leer el archivo. Inténtalo de nuevo en unos minutos.
reason-unknown_deliverable = la fase actual no pide ese entregable.
reason-invalid_value = el valor no corresponde a lo que pide el entregable.
reason-deliverables_missing = falta un entregable obligatorio de la fase. Mira cuál con /ver.
due-date-moved = 📅 { $ref }«{ $title }»: la fase { $number } ({ $phase }) ahora vence el { $due } (antes, el { $previous }). Motivo: { $reason }
reason-past_date = esa fecha ya pasó; la nueva fecha debe ser de hoy en adelante.
menu-due = Mover la fecha de vencimiento de la fase actual (coordinación)
mine-empty-filtered = Ningún intercambio o práctica cumple el filtro. Cámbialo con los botones.
mine-choose-entity = ¿De qué entidad?
mine-all-entities = todas las entidades
mine-filter-entity = Entidad
menu-edit = Cambiar un campo de un ítem por su código
edit-choose = ¿Qué quieres cambiar de { $ref } «{ $title }»?
edit-field-title = Título
edit-field-need = Reto institucional
edit-field-summary = Descripción de la práctica
edit-field-topic = Tema
edit-ask = Escribe el nuevo texto de «{ $field }» (máximo { $limit } caracteres).
edit-sent = Recibí el cambio. Te aviso cuando quede registrado; el valor anterior queda en el historial.
edit-cancelled = Cancelado: no cambié nada.
edit-dropped = Dejé de esperar el cambio. Envía de nuevo el comando que escribiste.
item-updated = ✏️ { $ref }«{ $title }»: quedó registrado el cambio ({ $fields }).
reminders-header = ⏰ Recordatorio: { $count ->
        [one] tienes 1 ítem por atender:
       *[other] tienes { $count } ítems por atender:
    }
reminder-soon = • { $ref }«{ $title }», fase { $number }: vence el { $due } ({ $days ->
        [0] hoy
        [one] mañana
       *[other] en { $days } días
    })
reminder-late = • { $ref }«{ $title }», fase { $number }: venció el { $due } ({ $days ->
        [one] 1 día de retraso
       *[other] { $days } días de retraso
    })
reminders-more = …y { $more } más: /mis
reminders-escalated = 🚨 { $ref }«{ $title }» ({ $entity }) lleva { $count } recordatorios sin avance: la fase { $number } venció el { $due }. /ver { $code }

## Bogotá Enseña: evaluación, sistematización, promoción y solicitudes de colaboración (el notificador)
reason-unknown_practice = no encontré esa práctica (los intercambios no tienen evaluación ni solicitudes de colaboración).
reason-wrong_phase = el ítem no está en la fase en la que eso se hace. Revísalo con /ver.
reason-not_an_evaluator = alguien que elegiste no es evaluador activo del programa.
reason-own_entity = nadie evalúa una práctica de su propia entidad.
reason-evaluators_count = el equipo evaluador no tiene el número de evaluadores que pide el programa.
reason-not_assigned = no estás en el equipo evaluador de esta práctica.
reason-already_scored = ya calificaste esta práctica.
reason-out_of_scale = cada criterio necesita un puntaje dentro de la escala del programa.
reason-scorecards_missing = todavía no han calificado todos los evaluadores.
reason-already_decided = la práctica ya tiene decisión.
reason-decision_missing = la fase de evaluación termina solo cuando la práctica es seleccionada (/decidir).
reason-not_selected = eso es solo para prácticas seleccionadas.
reason-unknown_milestone = el cronograma de la práctica no tiene ese hito.
reason-milestone_out_of_order = un hito debe quedar después del anterior y antes del siguiente.
reason-earlier_milestone_pending = un hito anterior no está cumplido todavía.
reason-milestone_done = ese hito ya se reportó cumplido.
reason-not_a_companion = esa persona no acompaña esta práctica (los acompañantes son personas de su entidad).
reason-over_capacity = esa persona ya acompaña tantas solicitudes de colaboración abiertas como permite el programa.
reason-unknown_request = no encontré esa solicitud de colaboración.
reason-request_closed = esa solicitud ya está cerrada.
reason-already_registered = esa solicitud de colaboración ya está registrada.
reason-not_held_yet = una promoción se registra cuando ya ocurrió; planéala mientras tanto.
evaluation-assigned-evaluator = 🧑‍⚖️ Estás en el equipo evaluador de { $ref }«{ $title }» ({ $entity }). Léela con /ver { $code } y califícala a más tardar el { $due }: envía /puntuar { $code } seguido de tu comentario.
evaluation-assigned-entity = 🧑‍⚖️ { $ref }«{ $title }» ({ $entity }) ya tiene equipo evaluador: { $count } evaluadores, que califican a más tardar el { $due }.
evaluation-assigned-confirmed = Listo: { $count } evaluadores quedaron asignados a { $ref }«{ $title }» ({ $entity }).
scorecard-kept = ✅ Quedó guardada tu calificación de { $ref }«{ $title }» ({ $entity }). { $waiting ->
    [0] Ya calificaron todos los evaluadores.
    [one] Falta 1 evaluador por calificar.
   *[other] Faltan { $waiting } evaluadores por calificar.
  }
scorecards-complete = 🗳 Ya están todas las calificaciones de { $ref }«{ $title }» ({ $entity }). Decide con /decidir { $code }
practice-decided-selected = 🏅 { $ref }«{ $title }» ({ $entity }) fue seleccionada como buena práctica. Puntajes promedio (escala { $scale }):
    { $scores }
    Total: { $overall }. Nota: { $note }
practice-decided-not_selected = { $ref }«{ $title }» ({ $entity }) no fue seleccionada esta vez. Puntajes promedio (escala { $scale }):
    { $scores }
    Total: { $overall }. Nota: { $note }
practice-decided-more_information = ℹ️ La evaluación de { $ref }«{ $title }» ({ $entity }) necesita más información. Puntajes promedio hasta ahora (escala { $scale }):
    { $scores }
    Total: { $overall }. Nota: { $note }
systematization-scheduled = 🗓 La sistematización de { $ref }«{ $title }» ({ $entity }) ya tiene cronograma:
    { $milestones }
    Reporta cada hito con /hitos { $code }
milestone-moved = 🗓 { $ref }«{ $title }» ({ $entity }): el hito «{ $milestone }» pasó del { $previous } al { $due }. Motivo: { $reason }
milestone-moved-confirmed = Listo: «{ $milestone }» de { $ref }«{ $title }» ({ $entity }) vence ahora el { $due }.
milestone-reached = ✅ { $ref }«{ $title }» ({ $entity }): «{ $milestone }» está cumplido. Siguen: { $pending }.
systematization-slipped = ⏰ La sistematización de { $ref }«{ $title }» ({ $entity }) se está atrasando: «{ $milestone }» vencía el { $due } (hace { $days ->
    [one] 1 día
   *[other] { $days } días
  }). /hitos { $code }
participants-recorded = ✅ { $ref }«{ $title }» ({ $entity }): quedaron registrados { $total } participantes.
channel-international_event = evento internacional
channel-network = red
channel-platform = plataforma
channel-publication = publicación
promotion-planned = 📣 Planeado para { $ref }«{ $title }» ({ $entity }): { $channel } «{ $name }» a más tardar el { $due }.
promotion-recorded = 📣 { $ref }«{ $title }» ({ $entity }) se promovió: { $channel } «{ $name }», { $held }, { $place }, público de { $audience }.
companion-named = 🤝 Acompañas las solicitudes de colaboración sobre { $ref }«{ $title }» ({ $entity }). Míralas con /solicitudes
companions-named = Listo: { $count } acompañantes para { $ref }«{ $title }» ({ $entity }).
request-kind-information = información
request-kind-visit = una visita
request-kind-technical_assistance = asistencia técnica
request-kind-transfer = una transferencia
request-outcome-information_shared = información compartida
request-outcome-visit_hosted = visita recibida
request-outcome-assistance_given = asistencia técnica brindada
request-outcome-transfer_agreed = transferencia acordada
request-outcome-declined = declinada
collaboration-requested = 🌎 Registrada: { $requester }, { $place }, pregunta por { $ref }«{ $title }» ({ $entity }) para { $kind }.
collaboration-requested-entity = 🌎 { $requester }, { $place }, pregunta por tu práctica { $ref }«{ $title }» ({ $entity }) para { $kind }.
collaboration-assigned-companion = 🤝 Una solicitud de colaboración para ti: { $requester }, { $place }, pregunta por { $ref }«{ $title }» ({ $entity }) para { $kind }.
    «{ $description }»
    Tienes { $open } de { $capacity } solicitudes abiertas. Ciérrala con /solicitudes cuando termines.
collaboration-assigned = 🤝 La solicitud de { $requester } ({ $place }) sobre { $ref }«{ $title }» ({ $entity }, { $kind }) quedó asignada a un acompañante, que ahora tiene { $open } de { $capacity } solicitudes abiertas. Mira quién con /solicitudes
collaboration-capacity-exhausted = 🚨 Ningún acompañante de { $ref }«{ $title }» ({ $entity }) tiene capacidad ({ $companions } acompañantes, { $capacity } solicitudes abiertas cada uno): la solicitud de { $requester } ({ $place }, { $kind }) queda en espera. Solicitudes en espera: { $waiting }. /solicitudes
collaboration-closed = ✅ La solicitud de { $requester } ({ $place }) sobre { $ref }«{ $title }» ({ $entity }, { $kind }) quedó cerrada: { $outcome }.
reminder-scorecard-soon = • { $ref }«{ $title }», tu calificación (fase { $number }): vence el { $due } ({ $days ->
        [0] hoy
        [one] mañana
       *[other] en { $days } días
    })
reminder-scorecard-late = • { $ref }«{ $title }», tu calificación (fase { $number }): vencía el { $due } ({ $days ->
        [one] 1 día de retraso
       *[other] { $days } días de retraso
    })
reminders-escalated-scorecard = 🚨 Un evaluador de { $ref }«{ $title }» ({ $entity }) lleva { $count } recordatorios sin calificar: las calificaciones de la fase { $number } vencían el { $due }. /ver { $code }

## Bogotá Enseña desde el chat (el bot)
menu-evaluators = Sugerir y asignar los evaluadores de una práctica (coordinación)
menu-score = Calificar una práctica que evalúas
menu-decide = Decidir sobre una práctica evaluada (coordinación)
menu-milestones = Ver el cronograma de sistematización y reportar un hito
menu-move-milestone = Mover un hito de la sistematización (coordinación)
menu-participants = Registrar los participantes de una sistematización
menu-promotion = Planear o registrar la promoción de una práctica
menu-companions = Nombrar los acompañantes de una práctica
menu-request = Registrar una solicitud de colaboración (coordinación)
menu-requests = Ver y cerrar las solicitudes de colaboración abiertas
evaluation-not-allowed = Eso lo hacen la entidad de la práctica y la coordinación del programa.
evaluation-not-found = No encontré una práctica con el código { $code } en la que puedas trabajar aquí.
evaluation-not-open = { $code } no está en evaluación ahora (ya pasó su fase de evaluación, ya tiene decisión o no está activa).
evaluation-no-evaluators = El programa todavía no tiene evaluadores activos de otras entidades. Invítalos con /invitar.
evaluation-suggestions = Evaluadores para { $ref }«{ $title }», los más afines primero (elige de { $minimum } a { $maximum }; página { $page } de { $pages }):
evaluation-reason-sector = conoce el sector
evaluation-reason-topics = temas: { $topics }
evaluation-reason-none = ni sector ni temas en común
evaluation-assign-button = ✅ Asignar ({ $count })
evaluation-cancel-button = ✖️ Cancelar
evaluation-team-full = El equipo ya tiene { $maximum } evaluadores, el máximo que permite el programa. Quita a alguien primero.
evaluation-team-size = Elige de { $minimum } a { $maximum } evaluadores.
evaluation-example-comment = Bien documentada, con resultados claros
evaluation-already-scored = Ya calificaste { $code }.
evaluation-comment-missing = Escribe tu comentario después del código, en el mismo mensaje: qué viste en la práctica.
evaluation-criterion = { $ref }«{ $title }» — criterio { $number } de { $criteria }: { $criterion }. Elige un puntaje de { $low } a { $high }.
evaluation-scorecard-ready = Tu calificación de { $ref }«{ $title }». Comentario: { $comment }
evaluation-send-button = 📨 Enviar la calificación
evaluation-scorecard-sent = Envié tu calificación. Te aviso cuando quede guardada.
evaluation-waiting-scorecards = { $code } tiene { $scored } de { $evaluators } calificaciones. La decisión espera a que califiquen todos los evaluadores.
evaluation-averages = { $ref }«{ $title }»: { $scorecards } calificaciones, puntajes promedio (de { $low } a { $high }):
evaluation-overall = Total: { $overall }. ¿Qué decides?
evaluation-decision-selected = 🏅 Seleccionada
evaluation-decision-not_selected = ✖️ No seleccionada
evaluation-decision-more_information = ℹ️ Necesita más información
evaluation-cancelled = Cancelado: no se envió nada.
systematization-not-selected = { $code } no es una práctica seleccionada en curso: eso viene después de que la evaluación la selecciona.
systematization-schedule = Sistematización de { $ref }«{ $title }»:
milestone-state-done = cumplido el { $on }
milestone-state-late = atrasado
milestone-state-pending = pendiente
systematization-no-schedule = { $code } todavía no tiene cronograma de sistematización: se fecha cuando empieza su fase de sistematización.
milestone-done-button = ✅ Reportar «{ $milestone }» cumplido
milestone-already-done = Ese hito ya se reportó cumplido.
milestone-number-unknown = Indica el número del hito, de 1 a { $count } (míralos con /hitos { $code }).
milestone-out-of-order = Un hito debe quedar después del anterior y antes del siguiente. Mira el cronograma con /hitos.
participant-public_national = sector público nacional
participant-public_local = sector público local
participant-private_sector = sector privado
participant-civil_society = sociedad civil
participant-academia = academia
participant-international = organismos internacionales
participants-usage = Envía /participantes { $code } seguido de { $count } números enteros, en este orden:
    { $kinds }
    Por ejemplo: /participantes { $code } 0 12 3 30 4 1
participants-out-of-bounds = Cada número va de 0 a { $maximum }, y al menos una persona participó.
promotion-choose = Promoción de { $ref }«{ $title }»: ¿planear un canal o registrar una promoción que ya ocurrió?
promotion-plan-button = 🗓 Planear
promotion-held-button = 📣 Registrar una realizada
promotion-ask-channel = ¿Por qué canal?
promotion-ask-name = ¿Nombre del evento, la red, la plataforma o la publicación?
promotion-ask-target = ¿Para cuándo? Escribe la fecha como AAAA-MM-DD.
promotion-ask-held-on = ¿Cuándo ocurrió? Escribe la fecha como AAAA-MM-DD.
promotion-not-yet-held = Esa fecha todavía no llega: registra la promoción cuando haya ocurrido, o planéala.
promotion-ask-place = ¿Dónde? Escribe la ciudad y el código de dos letras del país, por ejemplo: Lima, PE
promotion-place-invalid = Escribe la ciudad, una coma y el código de dos letras del país, por ejemplo: Lima, PE
promotion-ask-audience = ¿A cuántas personas llegó? Un número entero.
promotion-audience-invalid = Escribe un número entero de 0 a { $maximum }.
promotion-cancelled = Cancelado: no se envió nada de la promoción.
promotion-dropped = Descarté la promoción que estabas llenando, porque enviaste otro comando. Vuelve a enviar ese comando.
companions-nobody = La entidad de la práctica todavía no tiene personas activas en el programa.
companions-choose = Acompañantes de { $ref }«{ $title }»: cada uno lleva hasta { $capacity } solicitudes de colaboración abiertas.
companions-save-button = ✅ Guardar ({ $count })
companions-too-many = Una práctica tiene como máximo { $maximum } acompañantes.
companions-none-chosen = Elige al menos un acompañante.
request-ask-requester = Una solicitud de colaboración sobre { $ref }«{ $title }». ¿Quién pregunta? (una ciudad, una organización, una oficina)
request-ask-place = ¿Desde dónde? Escribe la ciudad y el código de dos letras del país, por ejemplo: Quito, EC
request-ask-kind = ¿Qué quieren?
request-ask-description = Describe la solicitud en pocas líneas.
request-cancelled = Cancelado: la solicitud no quedó registrada.
request-dropped = Descarté la solicitud que estabas registrando, porque enviaste otro comando. Vuelve a enviar ese comando.
requests-none = No hay solicitudes de colaboración abiertas.
requests-header = Solicitudes de colaboración abiertas: { $count } ({ $waiting } en espera de acompañante). Página { $page } de { $pages }.
request-state-waiting = ⏳ en espera de acompañante
request-state-assigned = 👤 { $name }
request-close-button = ✔️ Cerrar { $number }
request-assign-button = 👤 Asignar { $number }
request-ask-outcome = ¿Cómo terminó la solicitud de { $requester }?
request-no-companions = { $code } todavía no tiene acompañantes: su entidad los nombra con /acompanantes { $code }.
request-ask-companion = ¿Qué acompañante toma la solicitud de { $requester }?
card-evaluation = 🧑‍⚖️ Evaluación: { $scored } de { $evaluators } calificaciones
card-decision = Decisión: { $decision ->
        [selected] 🏅 seleccionada
        [not_selected] ✖️ no seleccionada
       *[more_information] ℹ️ necesita más información
    } (total { $overall })
card-milestones = 🗓 Hitos: { $done } de { $total } cumplidos · sigue: { $next } ({ $due }){ $late ->
        [yes] {" "}⏰ atrasado
       *[no] {""}
    }
card-participants = 👥 Participantes en la sistematización: { $total }
card-promotions = 📣 Promociones realizadas: { $held } (eventos internacionales: { $events }, redes: { $networks }) · planeadas: { $planned }
card-companions = 🤝 Acompañantes: { $companions } · solicitudes abiertas: { $open } ({ $waiting } en espera)
evaluation-rescore = 🧑‍⚖️ { $ref }«{ $title }» ({ $entity }) necesita más información ({ $note }). Cuando la entidad la agregue, califícala de nuevo: /puntuar { $code } seguido de tu comentario.
ensena-sent = Listo, lo pedí. Te aviso cuando quede registrado.
coordinators-only = Eso lo hacen solo la coordinación y la administración del programa.
evaluators-only = Solo los evaluadores de la práctica la califican.
evaluation-no-team = { $code } todavía no tiene equipo evaluador: asígnalo con /evaluadores { $code }.
milestone-reason-missing = Escribe el motivo después de la fecha, en el mismo mensaje.
participants-not-read = Necesito exactamente { $count } números enteros, separados por espacios.
deliverables-complete-evaluation = 📦 { $ref }«{ $title }» ya tiene su postulación. Sigue su equipo evaluador, con /evaluadores { $code }

## Bogotá Aprende: plan de acción y compromisos (el notificador)
reason-unknown_exchange = no encontré ese intercambio (las prácticas no tienen plan de acción, expediente ni encuestas).
reason-owner_not_of_entity = el responsable de un compromiso debe ser una persona activa de la entidad del intercambio.
reason-too_many_commitments = el plan de acción ya tiene el máximo de compromisos.
reason-unknown_commitment = ese intercambio no tiene un compromiso con ese número.
reason-commitment_done = ese compromiso ya está cumplido.
commitment-progress-button = 📝 Reportar avance
commitment-owned = 📌 Eres responsable del compromiso { $number } de { $ref }«{ $title }» ({ $entity }):
    { $action }
    Vence: { $due } · Indicador: { $indicator } · Meta: { $target }
    Te recordaré antes y después de la fecha; reporta el avance con el botón.
commitment-recorded = ✅ Compromiso { $number } en el plan de acción de { $ref }«{ $title }»: { $action } (vence el { $due }; indicador: { $indicator }; meta: { $target }).
commitment-status-not_started = sin iniciar
commitment-status-in_progress = en curso
commitment-status-done = cumplido
commitment-status-blocked = bloqueado
commitment-updated = 📝 Compromiso { $number } de { $ref }«{ $title }»: { $status }, { $percent } %. Nota: { $note }
commitment-blocked = ⛔ El compromiso { $number } de { $ref }«{ $title }» ({ $entity }) está bloqueado: { $note }. /compromisos { $code }
reminder-commitment-soon = • { $ref }«{ $title }», compromiso { $number } ({ $action }): vence el { $due } ({ $days ->
        [0] hoy
        [one] mañana
       *[other] en { $days } días
    })
reminder-commitment-late = • { $ref }«{ $title }», compromiso { $number } ({ $action }): venció el { $due } ({ $days ->
        [one] 1 día de retraso
       *[other] { $days } días de retraso
    })
reminders-escalated-commitment = 🚨 El responsable del compromiso { $number } de { $ref }«{ $title }» ({ $entity }) lleva { $count } recordatorios sin reportar avance: venció el { $due }. /compromisos { $code }

## Bogotá Aprende desde el chat (el bot)
menu-commitment = Agregar un compromiso al plan de acción de un intercambio
menu-commitments = Ver el plan de acción de un intercambio y reportar avances
help-text-exchanges = Intercambios: /expediente, /compromiso, /compromisos, /encuesta seguidos del código — el expediente (plan, expertos, aliados, presupuesto, logística, participantes), el plan de acción y las encuestas; /catalogo — prácticas internacionales, expertos y aliados
plan-not-yet = { $code } aún no llega a la fase «{ $phase }»: los compromisos se registran desde esa fase.
plan-ask-action = Nuevo compromiso para { $ref }«{ $title }». ¿Qué acción se compromete la entidad a realizar? (Escribe /cancelar para salir.)
plan-no-owners = La entidad no tiene personas activas en Puente para ser responsables. Invita primero a quien asumirá el compromiso.
plan-ask-owner = ¿Quién es la persona responsable?
plan-ask-due = ¿Para qué fecha? Escríbela como AAAA-MM-DD.
plan-ask-indicator = ¿Con qué indicador se medirá?
plan-ask-target = ¿Cuál es la meta de ese indicador?
plan-empty = { $ref }«{ $title }» aún no tiene compromisos. Agrega uno con /compromiso { $code }.
plan-header = 📋 Plan de acción de { $ref }«{ $title }»:
plan-line = { $mark } { $number }. { $action } — { $owner }, vence el { $due }: { $status }, { $percent } % (indicador: { $indicator }; meta: { $target })
plan-progress-ask = { $ref }«{ $title }»
    { $line }
    ¿Cuánto ha avanzado?
plan-done-button = ✅ Cumplido
plan-blocked-button = ⛔ Bloqueado
plan-ask-blocked-note = ¿Qué lo bloquea? Escribe una nota corta para la coordinación.
commitment-cancelled = Listo, no agregué el compromiso.
commitment-dropped = Dejé el compromiso sin agregar. Vuelve a escribir el comando que querías usar.
blocked-cancelled = Listo, no reporté el bloqueo.
blocked-dropped = Dejé el bloqueo sin reportar. Vuelve a escribir el comando que querías usar.
reason-unknown_survey = no encontré esa encuesta.
reason-already_answered = ya respondiste esta encuesta desde esta cuenta; se acepta una respuesta por cuenta.
reason-invalid_answer = la respuesta debe calificar cada pregunta de 1 a 5.
reason-survey_full = esta encuesta ya no recibe más respuestas.
survey-opened = 📊 Se abrió la encuesta de { $ref }«{ $title }» ({ $entity }) al terminar la fase «{ $phase }». Pide el enlace con /encuesta { $code } y reenvíalo a los participantes: es anónima y cada cuenta responde una vez.
survey-scored-low = ⚠️ La encuesta de { $ref }«{ $title }» ({ $entity }) tras la fase «{ $phase }» promedia { $average } con { $answers } respuestas (por debajo de { $threshold }):
    { $questions }
    /encuesta { $code }
menu-survey = Ver el enlace y los resultados de la encuesta de un intercambio
survey-not-found = No encontré esa encuesta. Revisa el enlace que te enviaron.
survey-welcome = 📊 Gracias por responder. { $count ->
        [one] Es 1 pregunta
       *[other] Son { $count } preguntas
    } de 1 (muy poco) a 5 (mucho), y un comentario opcional. La encuesta es anónima: nadie verá quién respondió.
survey-question = { $number }/{ $count }. { $question }
survey-ask-comment = ¿Algún comentario? Escríbelo, o toca el botón para terminar sin comentario.
survey-skip-button = Terminar sin comentario
survey-thanks = ¡Gracias! Tu respuesta quedó registrada de forma anónima.
survey-cancelled = Listo, dejé la encuesta sin responder. Puedes volver a abrir el enlace cuando quieras.
survey-dropped = Dejé la encuesta sin responder. Vuelve a escribir el comando que querías usar.
survey-none-yet = { $ref }«{ $title }» aún no tiene encuestas: se abren al terminar { $phases }.
survey-results = 📊 Encuesta de { $ref }«{ $title }» tras la fase «{ $phase }»
    Enlace para reenviar a los participantes: { $link }
    Respuestas: { $answers }
survey-overall = Promedio general: { $average }

## Bogotá Aprende: emparejamiento y expediente del intercambio
match-reason-sector = mismo sector ({ $sector })
match-reason-words = palabras en común: { $words }
match-reason-country = país de interés ({ $country })
match-reason-history = { $count ->
        [one] 1 intercambio anterior
       *[other] { $count } intercambios anteriores
    }
match-reason-history-scored = { $count ->
        [one] 1 intercambio anterior
       *[other] { $count } intercambios anteriores
    }, encuesta { $average }
reason-unknown_catalogue_entry = ese experto, aliado o práctica no está en el catálogo (la coordinación lo agrega con /catalogo).
reason-ally_not_involved = una línea de presupuesto la paga el programa o un aliado registrado en el intercambio; registra primero el aliado (y no quites uno que paga una línea).
reason-too_many_budget_lines = el presupuesto ya tiene el máximo de líneas.
reason-unknown_budget_line = esa línea de presupuesto ya no existe.
reason-plan_missing = falta el plan del intercambio (instrumento, fechas y lugar): regístralo en /expediente.
reason-participants_missing = faltan los participantes por tipo: regístralos en /expediente.
menu-matches = Sugerir prácticas y expertos para un intercambio (coordinación)
matches-none = No encontré en el catálogo prácticas ni expertos afines a { $ref }«{ $title }». Revisa el catálogo con /catalogo.
matches-header = 🔎 Sugerencias para { $ref }«{ $title }», con el motivo de cada una:
matches-kind-practices = Prácticas internacionales:
matches-kind-experts = Expertos:
matches-choose = Marca las que van a la lista corta de los términos de referencia.
matches-save-button = 💾 Guardar la lista corta ({ $count })
matches-nothing-chosen = Marca al menos una práctica o un experto.
menu-record = Ver y completar el expediente de un intercambio
record-button-plan = 🗓 Plan
record-button-experts = 🧑‍🏫 Expertos
record-button-allies = 🤝 Aliados
record-button-budget = 💰 Presupuesto
record-button-logistics = 🧳 Logística
record-button-participants = 👥 Participantes
record-header = 📁 Expediente de { $ref }«{ $title }»
record-none = ninguno
record-shortlist = 🔎 Lista corta (términos de referencia):
record-plan = 🗓 { $instrument }, del { $starts } al { $ends }, en { $place }
record-plan-missing = 🗓 Plan: sin registrar (instrumento, fechas y lugar)
instrument-expert_mission = Misión de expertos
instrument-study_visit = Visita de estudio
instrument-virtual_exchange = Intercambio virtual
instrument-workshop = Taller
record-experts = 🧑‍🏫 Expertos: { $names }
record-allies = 🤝 Aliados: { $names }
record-budget-empty = 💰 Presupuesto: sin líneas
record-budget = 💰 Presupuesto:
record-payer-program = Programa
record-budget-total = Total { $total }: programa { $program }, aliados { $allies }
logistics-task-travel = Viajes
logistics-task-venue = Lugar
logistics-task-interpretation = Interpretación
logistics-task-materials = Materiales
record-logistics = 🧳 Logística:
record-participants = 👥 { $total } participantes: { $counts }
record-participants-missing = 👥 Participantes: sin registrar
record-not-now = El expediente de { $code } no se puede cambiar en su fase actual (o el intercambio terminó).
record-ask-instrument = Plan de { $ref }«{ $title }». ¿Qué instrumento? (Escribe /cancelar para salir.)
record-ask-dates = ¿Fechas? Escribe el inicio y el fin como AAAA-MM-DD AAAA-MM-DD (o una sola fecha si es un día).
record-dates-invalid = No entendí las fechas. Escríbelas como 2027-03-01 2027-03-05.
record-dates-order = La fecha de fin debe ser igual o posterior a la de inicio.
record-ask-place = ¿Dónde? Escribe la ciudad y el código del país, por ejemplo «Copenhague, DK».
record-catalogue-empty = El catálogo aún no tiene entradas de ese tipo; la coordinación las agrega con /catalogo.
record-save-button = ✅ Guardar ({ $count })
record-pick-experts = Marca los expertos que participan (página { $page } de { $pages }):
record-pick-allies = Marca los aliados del intercambio (página { $page } de { $pages }):
record-add-line-button = ➕ Agregar una línea
record-ask-concept = ¿Concepto de la línea? (por ejemplo «Honorarios de la experta»)
record-ask-amount = ¿Monto? Escríbelo con números, por ejemplo 1.500,50.
record-amount-invalid = No entendí el monto. Escríbelo con números y hasta dos decimales, por ejemplo 1.500,50.
record-amount-out-of-bounds = El monto debe ser 0 o más (y razonable).
record-ask-currency = ¿Moneda?
record-ask-payer = ¿Quién la paga?
record-task-done-button = ✅ Hecho
record-ask-task = ¿Qué tarea de logística? (o márcala hecha)
record-ask-owner = ¿Quién se encarga de «{ $task }»?
record-ask-participants = Escribe { $count } números, uno por tipo de participante, en este orden:
    { $kinds }
record-plan-cancelled = Listo, no cambié el plan.
record-plan-dropped = Dejé el plan sin cambiar. Vuelve a escribir el comando que querías usar.
record-budget-cancelled = Listo, no agregué la línea.
record-budget-dropped = Dejé la línea sin agregar. Vuelve a escribir el comando que querías usar.
record-participants-cancelled = Listo, no registré los participantes.
record-participants-dropped = Dejé los participantes sin registrar. Vuelve a escribir el comando que querías usar.
menu-catalogue = Catálogo de prácticas internacionales, expertos y aliados
catalogue-header = 📚 Catálogo de los intercambios. ¿Qué quieres ver?
catalogue-kind-practice = Prácticas internacionales ({ $count })
catalogue-kind-expert = Expertos ({ $count })
catalogue-kind-ally = Aliados estratégicos ({ $count })
catalogue-add-practice = ➕ Práctica
catalogue-add-expert = ➕ Experto
catalogue-add-ally = ➕ Aliado
catalogue-one-practice = una práctica internacional
catalogue-one-expert = un experto
catalogue-one-ally = un aliado estratégico
organisation-type-public_sector = sector público
organisation-type-private_sector = sector privado
organisation-type-academia = academia
organisation-type-international_organisation = organismo internacional
organisation-type-civil_society = sociedad civil
organisation-type-unknown = tipo no registrado en el catálogo
support-kind-technical = apoyo técnico
support-kind-financial = apoyo financiero
support-kind-both = apoyo técnico y financiero
catalogue-page = { $kind } — página { $page } de { $pages }
catalogue-empty = (sin entradas)
catalogue-adding = Vamos a agregar { $kind }, dato por dato. (Escribe /cancelar para salir.)
catalogue-field-title = Título
catalogue-field-city = Ciudad
catalogue-field-country = País
catalogue-field-organisation = Organización
catalogue-field-sector = Sector
catalogue-field-topics = Temas
catalogue-field-summary = Resumen
catalogue-field-source = Enlace a la fuente
catalogue-field-name = Nombre
catalogue-field-organisation_type = Tipo de organización
catalogue-field-languages = Idiomas
catalogue-field-fee = Expectativa de honorarios
catalogue-field-support = Tipo de apoyo
catalogue-field-cofunds = Qué cofinancia o aporta
catalogue-which-field = ¿Qué dato de «{ $name }» quieres corregir?
catalogue-ask-text = { $field }:
catalogue-ask-long = { $field } (hasta unos párrafos):
catalogue-ask-country = { $field }: el código de dos letras, por ejemplo DK o NL.
catalogue-ask-choice = { $field }:
catalogue-ask-list = { $field }: sepáralos con comas.
catalogue-ask-languages = { $field }: códigos de dos letras separados por comas, por ejemplo es, en.
catalogue-ask-link = { $field }: un enlace que empiece por https://
catalogue-optional = Es opcional: escribe { $skip } para dejarlo vacío.
catalogue-link-invalid = Eso no parece un enlace; debe empezar por http:// o https://.
catalogue-text-invalid = Ese dato no sirve: revisa que tenga texto visible y no sea demasiado largo.
catalogue-country-invalid = Escribe el código del país con dos letras, por ejemplo DK.
catalogue-languages-invalid = Escribe los idiomas con códigos de dos letras separados por comas, por ejemplo es, en.
catalogue-list-invalid = Escribe entre 1 y { $maximum } temas separados por comas.
catalogue-choose-field = Elige con los botones qué dato corregir.
catalogue-choose-button = Elige una opción con los botones.
catalogue-cancelled = Listo, dejé el catálogo como estaba.
catalogue-dropped = Dejé el catálogo como estaba. Vuelve a escribir el comando que querías usar.
shortlist-recorded = 🔎 Lista corta de { $ref }«{ $title }» ({ $entity }) para los términos de referencia:
    { $matches }
    Inclúyela en los términos de referencia. /expediente { $code }
record-part-plan = plan
record-part-experts = expertos
record-part-allies = aliados
record-part-budget = presupuesto
record-part-logistics = logística
record-part-participants = participantes
record-changed = ✅ { $ref }«{ $title }»: expediente actualizado ({ $part }). /expediente { $code }
logistics-owned = 🧳 Te encargas de «{ $task }» en el intercambio { $ref }«{ $title }» ({ $entity }). /expediente { $code }
logistics-done = ✅ «{ $task }» quedó hecho en el intercambio { $ref }«{ $title }». /expediente { $code }
catalogue-recorded = 📚 «{ $name }» quedó en el catálogo.
catalogue-corrected = 📚 «{ $name }» quedó corregido en el catálogo.
edit-field-countries_of_interest = Países de interés
edit-ask-countries = Escribe los códigos de dos letras de los países de los que quieren aprender, separados por comas (por ejemplo DK, NL). Sirven para sugerir prácticas y expertos.
edit-countries-invalid = Escribe códigos de país de dos letras separados por comas, por ejemplo DK, NL (hasta 20).
card-shortlist = 🔎 Lista corta: { $count ->
        [one] 1 práctica o experto
       *[other] { $count } prácticas y expertos
    }
card-exchange-plan = 🗓 { $instrument } desde el { $starts } en { $place }
card-exchange-people = 🧑‍🏫 { $experts ->
        [one] 1 experto
       *[other] { $experts } expertos
    } · 🤝 { $allies ->
        [one] 1 aliado
       *[other] { $allies } aliados
    } · 👥 { $participants ->
        [one] 1 participante
       *[other] { $participants } participantes
    }
card-commitments = 📋 Compromisos cumplidos: { $done } de { $total } (/compromisos { $code })
survey-already-answered = Ya respondiste esta encuesta desde esta cuenta: se acepta una respuesta por cuenta. ¡Gracias!
not-an-exchange = { $code } es una práctica; esto es para los intercambios.
exchange-not-allowed = Esto lo hacen la coordinación y el personal de la entidad del intercambio.
plan-too-many = El plan de acción ya tiene el máximo de compromisos.
plan-commitment-done = Ese compromiso ya está cumplido.
plan-ended = { $code } terminó: su plan de acción ya no cambia.
record-ally-pays = Un aliado que paga una línea del presupuesto sigue en el intercambio: quita o cambia primero esa línea.
record-form-open = Termina primero lo que estabas registrando en el expediente (o escribe /cancelar).
matches-not-now = La lista corta de { $code } se arma en la fase «{ $phase }», y el intercambio no está en ella.
survey-results-later = Los promedios y comentarios se muestran desde { $count } respuestas, para que ninguna respuesta se pueda reconocer.
catalogue-gone = Esa entrada ya no está en el catálogo.

## Reporting: the weekly digest, /informe and the dashboard
report-title-weekly = Informe semanal del programa de buenas prácticas — semana { $week }
report-title-current = Informe del programa de buenas prácticas al { $day }
report-title-period = Informe del programa de buenas prácticas, { $period }, al { $day }
report-subtitle = { $office } · { $period } · datos al { $day }
report-footer = { $city } · informe al { $day }
report-status = Compartidas { $shared } de { $shared_target } buenas prácticas ({ $shared_percent }) y { $opportunities } de { $opportunities_target } oportunidades internacionales ({ $opportunities_percent }); { $overdue ->
    [one] 1 vencimiento
   *[other] { $overdue } vencimientos
  } y { $waiting ->
    [one] 1 decisión pendiente
   *[other] { $waiting } decisiones pendientes
  }.
report-targets = Metas de la administración
report-target-shared = Buenas prácticas identificadas y compartidas
report-target-opportunities = Oportunidades de aprendizaje y enseñanza
report-aprende-implemented = Buenas prácticas implementadas
report-sectors = Sectores de la Administración Distrital beneficiados
report-aprende-experts = Expertos internacionales participantes
report-aprende-countries = Países que ofrecen conocimiento
report-aprende-allies = Aliados estratégicos
report-entities = Entidades distritales beneficiarias
report-participants = Participantes
report-ensena-systematized = Buenas prácticas sistematizadas
report-ensena-channels = Canales de promoción
report-experts-by-type = Expertos por tipo de organización: { $types }
report-participants-by-type = Participantes por tipo: { $types }
report-channels-by-kind = Canales por tipo: { $kinds }
report-pipeline = En curso, por línea y fase
report-on-hold = De ellos en pausa: { $count }
report-changes = Cambios desde el { $since } ({ $count ->
    [one] 1 ítem
   *[other] { $count } ítems
  })
report-overdue = Vencidos, por entidad ({ $count })
report-deadlines = Vencen en los próximos { $days } días ({ $count })
report-due-phase = { $item }: fase «{ $what }», vence el { $due } ({ $days } d)
report-due-commitment = { $item }: compromiso «{ $what }», vence el { $due } ({ $days } d)
report-due-milestone = { $item }: hito «{ $what }», vence el { $due } ({ $days } d)
report-requests = Solicitudes de colaboración abiertas: { $open }, sin acompañante: { $unassigned }
report-waiting = Decisiones que esperan a un coordinador ({ $count })
report-waiting-complete-phase = { $item }: entregables completos, falta cerrar la fase «{ $detail }»
report-waiting-decide = { $item }: evaluación completa en «{ $detail }», falta la decisión
report-waiting-assign = { $item }: asignar un acompañante a la solicitud de { $detail }
report-surveys = Encuestas de los intercambios
report-surveys-none = Todavía no hay encuestas con las respuestas mínimas.
report-surveys-average = Promedio { $average } en { $surveys } encuestas ({ $answers } respuestas). Las más bajas: { $lowest }
report-and-more = … y { $count } más.
change-exchange-proposed = propuesto
change-practice-proposed = postulada
change-item-updated = editado
change-phase-started = fase iniciada
change-phase-returned = devuelto a una fase
change-phase-completed = fase completada
change-phase-due_date_moved = plazo movido
change-item-on_hold = en pausa
change-item-resumed = reanudado
change-item-withdrawn = retirado
change-item-closed = cerrado
change-deliverable-submitted = entregable
change-scorecard-submitted = evaluación
change-practice-decided = decisión
change-experts-recorded = expertos
change-allies-recorded = aliados
change-exchange-planned = plan del intercambio
change-exchange_participants-recorded = participantes
change-participants-recorded = participantes
change-promotion-recorded = promoción
change-collaboration-requested = solicitud de colaboración
change-collaboration-assigned = acompañante asignado
change-collaboration-closed = solicitud cerrada
change-commitment-recorded = compromiso
change-commitment-updated = avance de compromiso
change-survey-submitted = respuesta de encuesta
change-systematization-scheduled = cronograma
change-milestone-moved = hito movido
change-milestone-reached = hito cumplido
report-summary-more = El detalle, con las gráficas, está en el PDF adjunto.
reason-unknown_period = el archivo de la ciudad no tiene ese período.
panel-title = Panel de coordinación del programa de buenas prácticas
panel-sign-in-how = Para entrar, escribe /panel al bot de Telegram del programa: te dará un enlace de un solo uso, válido por 10 minutos. Solo los coordinadores reciben enlace.
panel-link-refused = Ese enlace no sirve: ya se usó, venció o no es de un coordinador. Pide otro con /panel en el bot.
panel-unknown-period = El archivo de la ciudad no tiene ese período.
panel-bad-export = Esa exportación no existe: elige una tabla y un formato del panel.
panel-no-such-report = No encontré ese informe.
panel-other-language = English
panel-sign-out = Salir
panel-as-of = datos al { $day }
panel-request-assigned = { $item }: { $requester } ({ $country }), desde el { $day }, con acompañante
panel-request-waiting = { $item }: { $requester } ({ $country }), desde el { $day }, sin acompañante
panel-exports = Exportar (CSV, XLSX, JSON)
panel-table-items = Ítems
panel-table-phases = Fases completadas
panel-table-commitments = Compromisos
panel-table-participants = Participantes
panel-table-indicators = Indicadores
panel-archive = Informes semanales anteriores
panel-archive-empty = Todavía no hay informes semanales.
menu-report = Recibir el informe del programa al día de hoy (PDF)
menu-panel = Entrar al panel de coordinación (enlace de un solo uso)
report-coming = 📊 Estoy preparando el informe; te llega en un momento como PDF.
report-unknown-period = No conozco ese período. Los del archivo de la ciudad son: { $periods }
panel-link = 🔐 Tu enlace al panel de coordinación, de un solo uso y válido por { $minutes } minutos:
    { $link }
    No lo compartas: abre tu sesión.
panel-sign-in-confirm = Este enlace abre tu sesión en el panel. Sirve una sola vez.
panel-sign-in-button = Entrar al panel

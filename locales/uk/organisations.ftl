supporters-count = { $count ->
        [one] { $formatted } організація підтримує кампанію.
        [few] { $formatted } організації підтримують кампанію.
       *[other] { $formatted } організацій підтримують кампанію.
    }
supporters-join = Ваша організація підтримує кампанію?
supporters-join-link = Додайте свою організацію до списку
organisation-title = Додайте підтримку вашої організації
organisation-intro = Організації, які підтримують кампанію, наведено в списку на її головній сторінці. Розкажіть нам про свою: хтось із команди кампанії переглядає кожен запит, перш ніж назва з’явиться.
field-organisation = Назва організації, як вона має відображатися в списку
field-website = Вебсайт організації
field-organisation-country = Країна організації
field-contact-name = Ваше ім’я (ніколи не публікується)
field-contact-email = Ваша електронна адреса в організації (ніколи не публікується)
organisation-privacy = Ми використовуємо ваше ім’я та адресу лише для того, щоб підтвердити цей запит і повідомити вам наше рішення, і видаляємо їх через { $contact_days } { $contact_days ->
        [one] день
        [few] дні
       *[other] днів
    } після рішення.
organisation-submit = Надіслати запит
organisation-check-email-body = Ми надіслали вам лист. Відкрийте посилання в ньому, щоб підтвердити запит; після цього його перегляне хтось із команди кампанії.
organisation-confirm-title = Підтвердьте запит вашої організації
organisation-confirm-body = Натисніть кнопку, щоб підтвердити, що ця організація просить додати її до прихильників кампанії:
organisation-confirm-button = Підтвердити запит
organisation-confirmed-title = Ваш запит підтверджено
organisation-confirmed-body = Дякуємо. Хтось із команди кампанії перегляне його, і ми напишемо вам про рішення.
organisation-link-dead-body = Посилання для підтвердження запиту діють { $days } { $days ->
        [one] день
        [few] дні
       *[other] днів
    }. Надішліть запит ще раз, і ми надішлемо вам нове.
organisation-send-again = Надіслати запит ще раз
error-organisation-missing = Будь ласка, вкажіть назву організації.
error-organisation-too-long = Назва задовга: щонайбільше { $max } символів.
error-organisation-control = Назва містить символи, які не можна використовувати.
error-organisation-not-a-name = Будь ласка, вкажіть лише назву, без вебадреси, електронної адреси чи HTML.
error-website-missing = Будь ласка, вкажіть вебсайт організації.
error-website-too-long = Ця вебадреса задовга.
error-website-invalid = Ця вебадреса виглядає неправильною. Приклад: https://example.org
error-contact-name-missing = Будь ласка, вкажіть своє ім’я.
error-contact-name-too-long = Ваше ім’я задовге: щонайбільше { $max } символів.
error-contact-name-control = Ваше ім’я містить символи, які не можна використовувати.
error-contact-name-not-a-name = Будь ласка, вкажіть лише своє ім’я, без вебадреси, електронної адреси чи HTML.
supporter-email-subject = Підтвердьте, що ваша організація підтримує People First
supporter-email-intro = Хтось, імовірно ви, попросив додати { $organisation } до організацій, які підтримують кампанію People First.
supporter-email-action = Щоб підтвердити запит, відкрийте це посилання:
supporter-email-button = Підтвердити запит
supporter-email-ignore = Якщо ви нічого не просили, просто проігноруйте цей лист: нічого не буде опубліковано.
supporter-approved-subject = Вашу організацію додано до списку People First
supporter-approved-body = Дякуємо: { $organisation } тепер серед організацій, які підтримують кампанію.
supporter-rejected-subject = Ваш запит до People First
supporter-rejected-body = На жаль, ми не змогли додати { $organisation } до списку організацій, які підтримують кампанію. Дякуємо за ваш інтерес.
moderation-email-subject = Організація просить додати її до списку прихильників
moderation-email-body = { $organisation } просить додати її до списку прихильників, і її контактна особа підтвердила запит. Перегляньте його командою: people-first supporters pending (її ідентифікатор — { $id }).
privacy-organisations-heading = Організації
privacy-organisations = Якщо ви просите додати вашу організацію до списку прихильників, ми зберігаємо ваше ім’я та електронну адресу, щоб підтвердити запит і повідомити вам наше рішення, і видаляємо їх через { $contact_days } { $contact_days ->
        [one] день
        [few] дні
       *[other] днів
    } після рішення або через { $waiting_days } { $waiting_days ->
        [one] день
        [few] дні
       *[other] днів
    } після вашого підтвердження, якщо рішення до того часу не ухвалено; непідтверджений запит видаляється через { $days } { $days ->
        [one] день
        [few] дні
       *[other] днів
    }. Назву, країну та вебсайт організації ми зберігаємо; публікується лише її назва, і лише після того, як її схвалить хтось із команди кампанії.

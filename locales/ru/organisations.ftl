supporters-count = { $count ->
        [one] { $formatted } организация поддерживает кампанию.
        [few] { $formatted } организации поддерживают кампанию.
       *[other] { $formatted } организаций поддерживают кампанию.
    }
supporters-join = Ваша организация поддерживает кампанию?
supporters-join-link = Добавьте свою организацию в список
organisation-title = Добавьте поддержку вашей организации
organisation-intro = Организации, поддерживающие кампанию, указаны в списке на её главной странице. Расскажите нам о своей: кто-то из команды кампании рассматривает каждую заявку, прежде чем название появится.
field-organisation = Название организации, как оно должно выглядеть в списке
field-website = Сайт организации
field-organisation-country = Страна организации
field-contact-name = Ваше имя (никогда не публикуется)
field-contact-email = Ваш адрес электронной почты в организации (никогда не публикуется)
organisation-privacy = Мы используем ваше имя и адрес только для того, чтобы подтвердить эту заявку и сообщить вам наше решение, и удаляем их через { $contact_days } { $contact_days ->
        [one] день
        [few] дня
       *[other] дней
    } после решения.
organisation-submit = Отправить заявку
organisation-check-email-body = Мы отправили вам письмо. Откройте ссылку в нём, чтобы подтвердить заявку; после этого её рассмотрит кто-то из команды кампании.
organisation-confirm-title = Подтвердите заявку вашей организации
organisation-confirm-body = Нажмите кнопку, чтобы подтвердить, что эта организация просит добавить её в список сторонников кампании:
organisation-confirm-button = Подтвердить заявку
organisation-confirmed-title = Ваша заявка подтверждена
organisation-confirmed-body = Спасибо. Кто-то из команды кампании рассмотрит её, и мы напишем вам о решении.
organisation-link-dead-body = Ссылки для подтверждения заявки действуют { $days } { $days ->
        [one] день
        [few] дня
       *[other] дней
    }. Отправьте заявку ещё раз, и мы пришлём вам новую ссылку.
organisation-send-again = Отправить заявку ещё раз
error-organisation-missing = Пожалуйста, укажите название организации.
error-organisation-too-long = Название слишком длинное: не более { $max } символов.
error-organisation-control = Название содержит недопустимые символы.
error-organisation-not-a-name = Пожалуйста, укажите только название, без веб-адреса, адреса электронной почты или HTML.
error-website-missing = Пожалуйста, укажите сайт организации.
error-website-too-long = Этот веб-адрес слишком длинный.
error-website-invalid = Этот веб-адрес выглядит неправильным. Пример: https://example.org
error-contact-name-missing = Пожалуйста, укажите своё имя.
error-contact-name-too-long = Ваше имя слишком длинное: не более { $max } символов.
error-contact-name-control = Ваше имя содержит недопустимые символы.
error-contact-name-not-a-name = Пожалуйста, укажите только своё имя, без веб-адреса, адреса электронной почты или HTML.
supporter-email-subject = Подтвердите, что ваша организация поддерживает People First
supporter-email-intro = Кто-то, вероятно вы, попросил добавить { $organisation } в список организаций, поддерживающих кампанию People First.
supporter-email-action = Чтобы подтвердить заявку, откройте эту ссылку:
supporter-email-button = Подтвердить заявку
supporter-email-ignore = Если вы ничего не просили, не обращайте внимания на это письмо: ничего не будет опубликовано.
supporter-approved-subject = Ваша организация добавлена в список People First
supporter-approved-body = Спасибо: { $organisation } теперь среди организаций, поддерживающих кампанию.
supporter-rejected-subject = Ваша заявка в People First
supporter-rejected-body = К сожалению, мы не смогли добавить { $organisation } в список организаций, поддерживающих кампанию. Спасибо за ваш интерес.
moderation-email-subject = Организация просит добавить её в список сторонников
moderation-email-body = { $organisation } просит добавить её в список сторонников, и её контактное лицо подтвердило заявку. Рассмотрите её командой: people-first supporters pending (её идентификатор — { $id }).
privacy-organisations-heading = Организации
privacy-organisations = Если вы просите добавить вашу организацию в список сторонников, мы храним ваше имя и адрес электронной почты, чтобы подтвердить заявку и сообщить вам наше решение, и удаляем их через { $contact_days } { $contact_days ->
        [one] день
        [few] дня
       *[other] дней
    } после решения или через { $waiting_days } { $waiting_days ->
        [one] день
        [few] дня
       *[other] дней
    } после вашего подтверждения, если к тому времени решение не принято; неподтверждённая заявка удаляется через { $days } { $days ->
        [one] день
        [few] дня
       *[other] дней
    }. Название, страну и сайт организации мы храним; публикуется только её название, и только после того, как заявку одобрит кто-то из команды кампании.

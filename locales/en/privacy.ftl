privacy-title = Privacy policy
privacy-intro = This policy says what People First does with the data of those who sign, and why. It describes what the signing software actually does.
privacy-what-heading = What we keep
privacy-what = Your name, your email address, your country, the language you signed in, whether you asked to be kept informed, the partner organisation or the channel you signed through if any, whether you agreed to hear from that organisation, when you signed and when you confirmed, and the version of this policy you were shown. We also note which large email provider your address is with (Gmail, Outlook, Yandex, Mail.ru, Proton, or another), to see where our emails fail to arrive; that note holds nothing else of the address, and stays when the address is forgotten. We do not keep your IP address.
privacy-why-heading = Why
privacy-why = To make sure a real person signed (that is what the confirmation email is for), to count the signatures per country, and to hand the names and countries to those negotiating the release of detainees. We write to you about the campaign only if you ticked that box.
privacy-how-long-heading = For how long
privacy-how-long = A signature that is not confirmed is deleted automatically { $days } days after the last email we sent for it. Once you confirm, we forget your email address unless you asked to be kept informed; we keep only a keyed fingerprint of it, so that the same address cannot sign twice. So that no mailbox receives more than three of our emails a day, we also keep another keyed fingerprint of the address, with the number of emails sent to it, until the next day. If an email bounces because the address does not exist, we note it on the unconfirmed signature and write to that address no more. Your name and country are kept until the end of the campaign.
privacy-backups-heading = Backups
privacy-backups = To make sure no mistake can lose signatures, the signature table is backed up continuously, and each backup is kept for { $backup_days } days. A signature you erase, or one that expires, is gone from the backups after those { $backup_days } days.
privacy-emails-heading = The emails we send
privacy-emails = Besides the confirmation email, we send one reminder a day later if the signature is still not confirmed, and nothing more about it. If you asked to be kept informed, we send you the campaign’s news, written by the campaign; each email carries a link that stops them with one click, and your mail program’s unsubscribe button does the same. Our emails carry no tracking pixel and no rewritten links: we do not know whether you open them or which links you follow. When we send you news, we note it for a week against the keyed fingerprint of your address, so that nobody receives it twice. If your mailbox refuses our news, or you report it as spam, we send you no more.
privacy-partners-heading = Partner organisations
privacy-partners = If you sign through a link or on a page of an organisation that supports the campaign, or through a link shared on a messaging app or a network, we note that organisation or channel with your signature, never who shared the link with you, to count which of them brought signatures. A form on a partner’s page runs on our site, inside a frame: the partner cannot see what you type. If you tick “Keep me informed by” that organisation, we keep your consent with its time and the version of this policy; once you confirm, we hand that organisation your name, email address, country and language and the time of your consent, and nothing else, so that it can write to you under its own privacy policy. That consent is apart from the campaign’s news and from your signature: the link in our emails lets you withdraw either at any time without erasing your signature. If the organisation already received your address, our next delivery to it tells it that you withdrew, and it must stop writing to you; we keep your address for that delivery only. The same holds if you erase your signature: until that delivery we then keep only your address, the organisation, and the dates of your consent and of the erasure.
privacy-who-heading = Who handles your data
privacy-who = The campaign’s organisers. Signatures are stored, and emails sent, on Amazon Web Services (DynamoDB and Simple Email Service), which process them only on the campaign’s behalf. Names are never published.
privacy-rights-heading = Your rights
privacy-rights = Every email we send you carries a link to erase your signature yourself, at once: your name, address and country are deleted and the count drops by one; you may sign again later. You may also ask at any time to see, correct or erase your signature by writing to { $contact }.
privacy-version = Version dated { $version }
privacy-third-parties = The site sets no cookie and loads nothing from any other company.
privacy-challenge = The site sets no cookie. While fake signatures flood the form, it shows a check that tells people from bots: { $provider }, run by { $company }, which then receives your IP address and details of your browser under its own privacy policy. We keep nothing of that check.
# The policy's date, as the language writes a date: $month is 1 to 12.
policy-date = { $day } { $month ->
         [1] January
         [2] February
         [3] March
         [4] April
         [5] May
         [6] June
         [7] July
         [8] August
         [9] September
         [10] October
         [11] November
        *[12] December
    } { $year }
